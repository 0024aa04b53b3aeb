// The Integrations tab (SPEC §16): GET /dashboard serves the page and /dashboard/<file> its
// scripts and styles, all embedded in the binary (dashboard/DashboardAssets.h). No credentials
// are needed to load the page; it signs in through /api/session.
//
// Every answer carries a strict Content-Security-Policy: scripts and styles only from the hub
// itself (no inline script or style, no eval), requests only to the hub, no forms posting
// elsewhere, framing only by the hub or dashboard.url's origin. The page is `no-store` (it is
// tiny); the other files are revalidated by their ETag.
#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/BrowserRequestPolicy.h"
#include "api/JsonResponse.h"
#include "api/Router.h"
#include "dashboard/DashboardAssets.h"

namespace smbhub::api {
namespace {

std::string contentSecurityPolicy(const std::string& dashboardUrl) {
    const std::string embedder = originOf(dashboardUrl);
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
           "base-uri 'none'; form-action 'self'; frame-ancestors 'self'" +
           (embedder.empty() ? std::string() : " " + embedder);
}

bool matchesETag(const std::string& ifNoneMatch, std::string_view etag) {
    return ifNoneMatch == "*" || ifNoneMatch.find(std::string(etag)) != std::string::npos;
}

void serve(const ApiServices& s, ApiRequest& r, const std::string& name, bool revalidate) {
    const dashboard::DashboardAsset* asset = dashboard::findDashboardAsset(name);
    if (!asset) throw ApiError::notFound("no dashboard file " + name);
    server::Response& out = r.response;
    out.set("Content-Security-Policy", contentSecurityPolicy(s.config.dashboard.url));
    out.set("Referrer-Policy", "no-referrer");
    out.set("Cross-Origin-Opener-Policy", "same-origin");
    if (revalidate) {
        out.set("Cache-Control", "no-cache");
        out.set("ETag", std::string(asset->etag));
        if (matchesETag(r.http.header("If-None-Match"), asset->etag)) {
            out.status = 304;
            return;
        }
    }
    out.status = 200;
    out.set("Content-Type", std::string(asset->contentType));
    out.body.assign(asset->body);
}

}  // namespace

void addDashboardRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/dashboard", Access::Public, [&s](ApiRequest& r) { serve(s, r, "index.html", false); });
    router.add("GET", "/dashboard/:file", Access::Public, [&s](ApiRequest& r) {
        if (r.param("file") == "index.html") return serve(s, r, "index.html", false);
        serve(s, r, r.param("file"), true);
    });
    // The hub's root is the page a person would look for.
    router.add("GET", "/", Access::Public, [](ApiRequest& r) { sendRedirect(r.response, "/dashboard"); });
}

}  // namespace smbhub::api
