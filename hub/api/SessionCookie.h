// The `smb_session` cookie as the hub sets it when someone signs in with an API key (SPEC §16):
// HttpOnly (page scripts never see it), SameSite=Lax (other sites' subrequests do not carry
// it), Path=/ (the API and the page both need it), Max-Age = auth.session_ttl, and Secure when
// the browser reached the hub over TLS. The hub itself speaks plain HTTP, so TLS is always a
// proxy's or the page's: the request is taken as over TLS when its Origin is https, a proxy
// says `X-Forwarded-Proto: https`, or dashboard.url is an https URL. Pure functions.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <string>

#include "server/Request.h"

namespace smbhub::api {

inline constexpr const char* kSessionCookieName = "smb_session";

// Whether the browser that sent `request` reached the hub over TLS (see above).
bool reachedOverTls(const server::Request& request, const std::string& dashboardUrl);

// Set-Cookie value that stores `token` for `maxAge`.
std::string sessionCookie(const std::string& token, std::chrono::seconds maxAge, bool secure);

// Set-Cookie value that removes the cookie (sign-out).
std::string expiredSessionCookie(bool secure);

}  // namespace smbhub::api
