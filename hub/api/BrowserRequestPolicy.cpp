#include "api/BrowserRequestPolicy.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "api/ApiRequest.h"

namespace smbhub::api {
namespace {

bool changesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

std::string originOf(const std::string& url) {
    try {
        const Poco::URI uri(url);
        const std::string scheme = Poco::toLower(uri.getScheme());
        if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) return "";
        std::string host = Poco::toLower(uri.getHost());
        const bool defaultPort = (scheme == "http" && uri.getPort() == 80) ||
                                 (scheme == "https" && uri.getPort() == 443);
        // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for `"x" + std::string`
        // (the known false positive that once broke Release builds in the store).
        std::string origin = scheme;
        origin.append("://");
        if (host.find(':') != std::string::npos) {
            origin.append("[").append(host).append("]");
        } else {
            origin.append(host);
        }
        if (!defaultPort) origin.append(":").append(std::to_string(uri.getPort()));
        return origin;
    } catch (const Poco::Exception&) {
        return "";
    }
}

std::optional<std::string> browserRequestProblem(const server::Request& request,
                                                 const std::string& dashboardUrl) {
    if (!changesState(request.method)) return std::nullopt;
    if (!request.body.empty() && !isJsonContentType(request.header("Content-Type"))) {
        return "a request signed in by the session cookie must send its body as application/json";
    }
    if (!request.hasHeader("Origin")) return std::nullopt;
    const std::string origin = originOf(request.header("Origin"));
    const std::string host = Poco::toLower(request.header("Host"));
    const bool own = !origin.empty() && !host.empty() &&
                     (origin == "http://" + host || origin == "https://" + host ||
                      originOf("http://" + host) == origin || originOf("https://" + host) == origin);
    if (own || (!origin.empty() && origin == originOf(dashboardUrl))) return std::nullopt;
    return "a request signed in by the session cookie must come from the hub's own pages (Origin " +
           (origin.empty() ? std::string("is not an origin") : origin + " is not allowed") + ")";
}

}  // namespace smbhub::api
