// smbhub_queue_pending and smbhub_queue_oldest_pending_seconds: read from the database at scrape
// time (with PostgreSQL several processes share the queue, so only the database knows it), and
// kept for a second so that several scrapers, or a scraper retrying, cost one read a second.
// While the database cannot be read the gauges are left out of the scrape (an absent series,
// not a made-up number); the counters are still answered.
//
// Thread-safety: get() from any thread (one mutex, taken once per scrape, never on the delivery
// path).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "store/DeliveryQueue.h"

namespace smbhub::metrics {

class QueueGauges {
public:
    using Read = std::function<store::QueueSummary(std::int64_t nowMs)>;
    explicit QueueGauges(Read read, std::chrono::milliseconds maxAge = std::chrono::seconds(1))
        : read_(std::move(read)), maxAge_(maxAge) {}

    struct Values {
        std::int64_t pending = 0;
        double oldestPendingSeconds = 0;  // how long the longest-due delivery has been due
    };
    std::optional<Values> get(std::int64_t nowMs);

private:
    Read read_;
    const std::chrono::milliseconds maxAge_;
    std::mutex mutex_;
    std::optional<store::QueueSummary> last_;
    std::int64_t readAt_ = 0;
};

}  // namespace smbhub::metrics
