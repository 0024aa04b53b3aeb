#include "retention/RetentionJob.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "core/Clock.h"
#include "metrics/HubMetrics.h"
#include "store/StoreErrors.h"

namespace smbhub::retention {
namespace {

Poco::Logger& log() { return Poco::Logger::get("retention"); }

struct Stopping {};  // stop() cut a pause between batches short

}  // namespace

RetentionJob::RetentionJob(store::DeliveryQueue& queue, const config::RetentionConfig& config)
    : queue_(queue), config_(config), errors_(log(), {}) {}

RetentionJob::~RetentionJob() { stop(); }

void RetentionJob::start() {
    thread_ = std::thread([this] { loop(); });
}

void RetentionJob::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds RetentionJob::pauseAfter(std::chrono::nanoseconds batch) {
    const auto share = std::chrono::ceil<std::chrono::milliseconds>(batch * (100 - kShareOfTheDatabasePercent) /
                                                                    kShareOfTheDatabasePercent);
    return std::max(kPauseBetweenBatches, share);
}

bool RetentionJob::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void RetentionJob::loop() {
    // The first run waits a moment, so that a hub's start-up is not also its busiest moment.
    while (pause(std::min<std::chrono::milliseconds>(config_.interval, std::chrono::seconds(10)))) {
        try {
            const RetentionRun run = runOnce(core::nowMillis());
            errors_.succeeded("retention");
            if (run.events + run.attempts + run.idempotencyKeys > 0) {
                log().debug("retention: deleted %z events (%z deliveries), %z attempts, %z idempotency keys", run.events,
                            run.deliveries, run.attempts, run.idempotencyKeys);
            }
        } catch (const Stopping&) {
            return;
        } catch (const store::DatabaseOutage&) {
            // The database's health check logs the outage; the next interval tries again.
        } catch (const std::exception& e) {
            errors_.failed("retention", e.what());
        }
        if (!pause(config_.interval)) return;
    }
}

RetentionRun RetentionJob::runOnce(std::int64_t nowMs) {
    RetentionRun run;
    metrics::HubMetrics& metrics = metrics::hubMetrics();
    // Each batch is timed; a full one is followed by its pause (pauseAfter).
    std::chrono::steady_clock::time_point batchBegan;
    auto between = [this, &batchBegan] {
        if (!pause(pauseAfter(std::chrono::steady_clock::now() - batchBegan))) throw Stopping{};
    };
    // Idempotency keys and attempts: by age alone.
    for (std::size_t n = kBatchRows; n == static_cast<std::size_t>(kBatchRows);) {
        batchBegan = std::chrono::steady_clock::now();
        n = queue_.deleteIdempotencyKeysBefore(nowMs - config_.idempotencyKeys.count(), kBatchRows);
        run.idempotencyKeys += n;
        metrics.retentionDeleted(metrics::RetentionTable::IdempotencyKeys, n);
        if (n == static_cast<std::size_t>(kBatchRows)) between();
    }
    for (std::size_t n = kBatchRows; n == static_cast<std::size_t>(kBatchRows);) {
        batchBegan = std::chrono::steady_clock::now();
        n = queue_.deleteAttemptsBefore(nowMs - config_.attempts.count(), kBatchRows);
        run.attempts += n;
        metrics.retentionDeleted(metrics::RetentionTable::Attempts, n);
        if (n == static_cast<std::size_t>(kBatchRows)) between();
    }
    // Events: oldest first, stepping past those a pending delivery keeps.
    store::EventCursor cursor;
    for (std::size_t examined = kBatchRows; examined == static_cast<std::size_t>(kBatchRows);) {
        batchBegan = std::chrono::steady_clock::now();
        const store::EventsDeleted d = queue_.deleteEventsBefore(nowMs - config_.events.count(), kBatchRows, cursor);
        examined = d.examined;
        run.events += d.events;
        run.deliveries += d.deliveries;
        run.attempts += d.attempts;
        metrics.retentionDeleted(metrics::RetentionTable::Events, d.events);
        metrics.retentionDeleted(metrics::RetentionTable::Deliveries, d.deliveries);
        metrics.retentionDeleted(metrics::RetentionTable::Attempts, d.attempts);
        if (examined == static_cast<std::size_t>(kBatchRows)) between();
    }
    return run;
}

}  // namespace smbhub::retention
