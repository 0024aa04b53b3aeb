// The browser rule of SPEC §13 (cross-site request forgery): a request authenticated by the
// `smb_session` cookie alone — which a browser attaches to requests any site can make — may
// change something only when it could not have come from another site's form or script:
// - with a body, its Content-Type is application/json (a form cannot send that without a
//   CORS preflight, which the hub never grants);
// - its Origin, when sent, is the hub's own (scheme://Host) or dashboard.url's.
// Requests with an Authorization header are not the browser's doing and are not subject to it.
// A pure function, unit-tested.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "server/Request.h"

namespace smbhub::api {

// Why a cookie-authenticated request is refused (403 forbidden), or nullopt when it may go on.
std::optional<std::string> browserRequestProblem(const server::Request& request,
                                                 const std::string& dashboardUrl);

// "scheme://host[:port]" of an absolute URL, lower case, default port dropped; "" if none.
std::string originOf(const std::string& url);

}  // namespace smbhub::api
