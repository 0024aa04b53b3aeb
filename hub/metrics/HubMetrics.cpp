#include "metrics/HubMetrics.h"

#include <algorithm>

#include "events/EventTypes.h"

namespace smbhub::metrics {
namespace {

constexpr const char* kUnknownProvider = "unknown";

}  // namespace

const char* toString(AttemptResult result) {
    switch (result) {
        case AttemptResult::Status2xx: return "2xx";
        case AttemptResult::Status3xx: return "3xx";
        case AttemptResult::Status4xx: return "4xx";
        case AttemptResult::Status5xx: return "5xx";
        case AttemptResult::Timeout: return "timeout";
        case AttemptResult::Network: return "network";
        case AttemptResult::Tls: return "tls";
        case AttemptResult::Refused: return "refused";
    }
    return "network";
}

const char* toString(RetentionTable table) {
    switch (table) {
        case RetentionTable::Events: return "events";
        case RetentionTable::Deliveries: return "deliveries";
        case RetentionTable::Attempts: return "attempts";
        case RetentionTable::IdempotencyKeys: return "idempotency_keys";
    }
    return "events";
}

HubMetrics::RouteSeries::RouteSeries(std::string l) : label(std::move(l)), duration(Histogram::requestBounds()) {}

HubMetrics::RouteSeries::~RouteSeries() {
    for (auto& slot : byStatus) delete slot.load(std::memory_order_relaxed);
}

Counter& HubMetrics::RouteSeries::status(int code) {
    if (code < 100 || code > 599) code = 500;
    std::atomic<Counter*>& slot = byStatus[static_cast<std::size_t>(code - 100)];
    Counter* counter = slot.load(std::memory_order_acquire);
    if (counter) return *counter;
    // First request answered with this status: whoever installs its counter first wins.
    auto fresh = std::make_unique<Counter>();
    if (slot.compare_exchange_strong(counter, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
    return *counter;
}

HubMetrics::HubMetrics() : deliveryLatency_(Histogram::deliveryLatencyBounds()) {
    eventTypes_ = events::eventTypes();
    for (std::size_t i = 0; i < eventTypes_.size(); ++i) eventsAccepted_.push_back(std::make_unique<Counter>());
    setProviders({});
    setRoutes({});
}

HubMetrics::~HubMetrics() = default;

void HubMetrics::setProviders(const std::vector<std::string>& providerIds) {
    providers_.clear();
    for (const std::string& id : providerIds) providers_[id] = std::make_unique<ProviderSeries>();
    providers_[kUnknownProvider] = std::make_unique<ProviderSeries>();
}

void HubMetrics::setRoutes(const std::vector<std::string>& routeTemplates) {
    routes_.clear();
    for (const std::string& r : routeTemplates) routes_.push_back(std::make_unique<RouteSeries>(r));
    routes_.push_back(std::make_unique<RouteSeries>(kUnmatchedRouteLabel));
}

HubMetrics::ProviderSeries& HubMetrics::provider(const std::string& id) {
    const auto it = providers_.find(id);
    return it != providers_.end() ? *it->second : *providers_.at(kUnknownProvider);
}

HubMetrics::RouteSeries& HubMetrics::route(std::size_t index) {
    return index < routes_.size() - 1 ? *routes_[index] : *routes_.back();
}

void HubMetrics::eventAccepted(const std::string& type) {
    const auto it = std::find(eventTypes_.begin(), eventTypes_.end(), type);
    if (it != eventTypes_.end()) eventsAccepted_[static_cast<std::size_t>(it - eventTypes_.begin())]->add();
}

void HubMetrics::attemptFinished(const std::string& id, AttemptResult result) {
    provider(id).attempts[static_cast<std::size_t>(result)].add();
}

void HubMetrics::deliveryCompleted(const std::string& id, bool succeeded, double latencySeconds) {
    ProviderSeries& series = provider(id);
    if (succeeded) {
        series.succeeded.add();
        deliveryLatency_.observe(latencySeconds);
    } else {
        series.failed.add();
    }
}

void HubMetrics::requestFinished(std::size_t index, int status, double seconds) {
    RouteSeries& series = route(index);
    series.status(status).add();
    series.duration.observe(seconds);
}

void HubMetrics::retentionDeleted(RetentionTable table, std::uint64_t rows) {
    retentionDeleted_[static_cast<std::size_t>(table)].add(rows);
}

void HubMetrics::write(TextExposition& out) const {
    out.family("smbhub_events_accepted_total", "counter", "Events accepted (stored) by POST /api/events, by type.");
    for (std::size_t i = 0; i < eventTypes_.size(); ++i) {
        out.sample({{"type", eventTypes_[i]}}, eventsAccepted_[i]->value());
    }

    out.family("smbhub_delivery_attempts_total", "counter",
               "Delivery attempts by provider and result: the receiver's status class, or timeout, network, "
               "tls, refused (not sent: the address or the target was refused).");
    for (const auto& [id, series] : providers_) {
        for (std::size_t r = 0; r < kAttemptResults; ++r) {
            out.sample({{"provider", id}, {"result", toString(static_cast<AttemptResult>(r))}},
                       series->attempts[r].value());
        }
    }

    out.family("smbhub_deliveries_completed_total", "counter",
               "Deliveries that reached their end, by provider and outcome (failed: no retry left).");
    for (const auto& [id, series] : providers_) {
        out.sample({{"provider", id}, {"outcome", "succeeded"}}, series->succeeded.value());
        out.sample({{"provider", id}, {"outcome", "failed"}}, series->failed.value());
    }

    out.family("smbhub_delivery_latency_seconds", "histogram",
               "Time from an event's publication to the success of its delivery, retries included.");
    out.histogram({}, deliveryLatency_.snapshot());

    out.family("smbhub_http_requests_total", "counter",
               "HTTP requests answered by the API, by route template (\"unmatched\": no route) and status.");
    for (const auto& series : routes_) {
        for (std::size_t code = 0; code < series->byStatus.size(); ++code) {
            if (const Counter* c = series->byStatus[code].load(std::memory_order_acquire)) {
                out.sample({{"route", series->label}, {"status", std::to_string(code + 100)}}, c->value());
            }
        }
    }

    out.family("smbhub_http_request_duration_seconds", "histogram",
               "Time spent handling an API request, by route template.");
    for (const auto& series : routes_) {
        const HistogramSnapshot s = series->duration.snapshot();
        if (s.count > 0) out.histogram({{"route", series->label}}, s);
    }

    out.family("smbhub_retention_deleted_total", "counter", "Rows deleted by retention, by table.");
    for (std::size_t t = 0; t < kRetentionTables; ++t) {
        out.sample({{"table", toString(static_cast<RetentionTable>(t))}}, retentionDeleted_[t].value());
    }
}

HubMetrics& hubMetrics() {
    static HubMetrics metrics;
    return metrics;
}

}  // namespace smbhub::metrics
