// The hub's own counters and histograms (SPEC §14), recorded where things happen and written
// out by GET /metrics (api/MetricsRoutes.cpp, which adds the gauges it computes at scrape time).
//
// Every label value is from a set known up front — event types, the loaded providers' ids, the
// router's route templates, HTTP status codes, fixed result and outcome names, table names — so
// there is never an account id, a URL or a payload in a label, and the number of series is
// bounded. Each series is created once: a recording looks its series up in a table that does not
// change while the hub serves, or (HTTP statuses) in a slot it fills once with a compare-and-swap.
// Recording is a few relaxed atomic additions and never takes a lock, so the delivery path and
// the API's workers do not contend for one.
//
// One instance per process (hubMetrics()): like a Prometheus client's default registry. The
// tables of providers and routes are set at start-up (setProviders, setRoutes), before anything
// records.
//
// Thread-safety: the recording methods and write() from any thread; setProviders() and setRoutes()
// only while nothing records (start-up).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metrics/Counter.h"
#include "metrics/Histogram.h"
#include "metrics/TextExposition.h"

namespace smbhub::metrics {

// What one delivery attempt came to (the `result` label).
enum class AttemptResult { Status2xx, Status3xx, Status4xx, Status5xx, Timeout, Network, Tls, Refused };
constexpr std::size_t kAttemptResults = 8;
const char* toString(AttemptResult result);

// The tables retention deletes from (the `table` label).
enum class RetentionTable { Events, Deliveries, Attempts, IdempotencyKeys };
constexpr std::size_t kRetentionTables = 4;
const char* toString(RetentionTable table);

class HubMetrics {
public:
    static constexpr std::size_t kUnmatchedRoute = static_cast<std::size_t>(-1);
    static constexpr const char* kUnmatchedRouteLabel = "unmatched";

    HubMetrics();
    ~HubMetrics();
    HubMetrics(const HubMetrics&) = delete;
    HubMetrics& operator=(const HubMetrics&) = delete;

    // Start-up: the providers deliveries can be made through (others count as "unknown"), and
    // the router's route templates in its order ("GET /api/integrations/:id").
    void setProviders(const std::vector<std::string>& providerIds);
    void setRoutes(const std::vector<std::string>& routeTemplates);

    void eventAccepted(const std::string& type);
    void attemptFinished(const std::string& provider, AttemptResult result);
    // A delivery reached its end; `latencySeconds` (publish → success) for a success.
    void deliveryCompleted(const std::string& provider, bool succeeded, double latencySeconds);
    // `route`: the index of the route in setRoutes' list, or kUnmatchedRoute.
    void requestFinished(std::size_t route, int status, double seconds);
    void retentionDeleted(RetentionTable table, std::uint64_t rows);

    // Every counter and histogram family, each with HELP and TYPE.
    void write(TextExposition& out) const;

private:
    struct ProviderSeries {
        std::array<Counter, kAttemptResults> attempts;
        Counter succeeded;
        Counter failed;
    };
    struct RouteSeries {
        explicit RouteSeries(std::string label);
        ~RouteSeries();
        Counter& status(int code);
        std::string label;
        Histogram duration;
        // Counters by status code 100…599, created on the first request answered with it.
        std::array<std::atomic<Counter*>, 500> byStatus{};
    };

    ProviderSeries& provider(const std::string& id);
    RouteSeries& route(std::size_t index);

    std::vector<std::string> eventTypes_;
    std::vector<std::unique_ptr<Counter>> eventsAccepted_;
    std::map<std::string, std::unique_ptr<ProviderSeries>> providers_;  // + "unknown"
    Histogram deliveryLatency_;
    std::vector<std::unique_ptr<RouteSeries>> routes_;  // in setRoutes' order, then "unmatched"
    std::array<Counter, kRetentionTables> retentionDeleted_;
};

HubMetrics& hubMetrics();

}  // namespace smbhub::metrics
