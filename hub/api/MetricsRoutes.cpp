// GET /metrics (SPEC §14): the hub's metrics in the Prometheus text format. The counters and
// histograms come from metrics/HubMetrics; the gauges are computed here at scrape time: build
// info, the queue (metrics/QueueGauges, the database's view), plugins by state, database
// connections in use.
//
// With `metrics.token` set the scraper must send `Authorization: Bearer <token>` (compared in
// constant time); otherwise the endpoint is open, like /healthz — keep it off the public proxy
// (docs/operations.md).
#include <map>
#include <memory>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "crypto/ConstantTime.h"
#include "metrics/HubMetrics.h"
#include "metrics/QueueGauges.h"
#include "metrics/TextExposition.h"

namespace smbhub::api {
namespace {

void requireToken(const std::string& token, const server::Request& http) {
    if (token.empty()) return;
    if (!crypto::constantTimeEquals(http.header("Authorization"), "Bearer " + token)) {
        throw ApiError::unauthorized("GET /metrics takes the metrics token (metrics.token)");
    }
}

void writeGauges(ApiServices& s, metrics::QueueGauges& queue, metrics::TextExposition& out) {
    if (const auto q = queue.get(core::nowMillis())) {
        out.family("smbhub_queue_pending", "gauge", "Deliveries waiting for a successful attempt (all processes).");
        out.sample({}, static_cast<std::uint64_t>(q->pending));
        out.family("smbhub_queue_oldest_pending_seconds", "gauge",
                   "How long the longest-due pending delivery of an active integration has been due.");
        out.sample({}, q->oldestPendingSeconds);
    }

    out.family("smbhub_plugins", "gauge", "Plugin libraries found, by provider id and state (loaded, refused, disabled).");
    std::map<std::pair<std::string, std::string>, std::uint64_t> plugins;
    for (const plugins::PluginReport& report : s.plugins.reports()) {
        ++plugins[{report.id.empty() ? "unknown" : report.id, report.state}];
    }
    for (const auto& [key, count] : plugins) out.sample({{"id", key.first}, {"state", key.second}}, count);

    out.family("smbhub_db_pool_in_use", "gauge", "Database connections lent to an operation right now (this process).");
    out.sample({}, static_cast<std::uint64_t>(s.stores.connectionsInUse ? s.stores.connectionsInUse() : 0));
}

}  // namespace

void addMetricsRoutes(Router& router, ApiServices& s) {
    auto queue = std::make_shared<metrics::QueueGauges>(
        [&s](std::int64_t nowMs) { return s.stores.deliveries.summary(nowMs); });
    router.add("GET", "/metrics", Access::Public, [&s, queue](ApiRequest& r) {
        requireToken(s.config.metrics.token, r.http);
        metrics::TextExposition out;
        out.family("smbhub_build_info", "gauge", "Always 1; the version of smb-hub that answers.");
        out.sample({{"version", SMBHUB_VERSION}}, std::uint64_t{1});
        metrics::hubMetrics().write(out);
        writeGauges(s, *queue, out);
        r.response.status = 200;
        r.response.set("Content-Type", metrics::TextExposition::kContentType);
        r.response.body = out.text();
    });
}

}  // namespace smbhub::api
