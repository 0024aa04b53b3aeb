#include "api/SessionCookie.h"

#include <Poco/String.h>

namespace smbhub::api {
namespace {

std::string attributes(bool secure) {
    return std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : "");
}

bool isHttps(const std::string& value) { return Poco::toLower(Poco::trim(value)).rfind("https://", 0) == 0; }

}  // namespace

bool reachedOverTls(const server::Request& request, const std::string& dashboardUrl) {
    // A proxy may list several protocols (one per hop): the first is the client's.
    std::string forwarded = request.header("X-Forwarded-Proto");
    forwarded = Poco::toLower(Poco::trim(forwarded.substr(0, forwarded.find(','))));
    return forwarded == "https" || isHttps(request.header("Origin")) || isHttps(dashboardUrl);
}

std::string sessionCookie(const std::string& token, std::chrono::seconds maxAge, bool secure) {
    return std::string(kSessionCookieName) + "=" + token + "; Max-Age=" + std::to_string(maxAge.count()) +
           attributes(secure);
}

std::string expiredSessionCookie(bool secure) {
    // Max-Age=0 removes it now; Expires in the past for the rare client that ignores Max-Age.
    return std::string(kSessionCookieName) + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" +
           attributes(secure);
}

}  // namespace smbhub::api
