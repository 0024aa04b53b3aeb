// Probes for load balancers and orchestrators (SPEC §14): GET /healthz says the process runs,
// GET /readyz whether it should get traffic (health/Readiness.h). Neither takes credentials,
// so neither says more than its status and, when not ready, a one-word reason.
#include "api/ApiServices.h"
#include "api/JsonResponse.h"
#include "api/Router.h"
#include "core/Json.h"

namespace smbhub::api {
namespace {

void healthz(ApiRequest& r) {
    auto out = core::orderedObject();
    out->set("status", "ok");
    sendJson(r.response, 200, out);
}

void readyz(ApiServices& s, ApiRequest& r) {
    const health::ReadinessVerdict verdict = s.readiness.verdict();
    auto out = core::orderedObject();
    if (verdict.ready) {
        out->set("status", "ok");
        return sendJson(r.response, 200, out);
    }
    out->set("status", "unavailable");
    out->set("reason", verdict.reason);
    sendJson(r.response, 503, out);
}

}  // namespace

void addHealthRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/healthz", Access::Public, [](ApiRequest& r) { healthz(r); });
    router.add("GET", "/readyz", Access::Public, [&s](ApiRequest& r) { readyz(s, r); });
}

}  // namespace smbhub::api
