// Retention (SPEC §14): a background thread that deletes what is older than its window —
// attempts (`retention.attempts`), events with their deliveries and those deliveries' attempts
// (`retention.events`), idempotency keys (`retention.idempotency_keys`) — every
// `retention.interval`.
//
// It never stalls publishing or delivery: it deletes in batches of at most kBatchRows rows, each
// batch its own short transaction, with a pause between batches in which the API and the engine
// get the database (on SQLite, its one connection). While it is behind (batch after full batch)
// it takes at most kShareOfTheDatabasePercent of the database's time: the pause after a batch is
// that batch's duration times (100 − share) / share. Deleting a row costs about what writing it
// did, so a hub at full speed would otherwise give retention a share of its peak as large as its
// inserts (measured: 16–21% of the delivery rate on SQLite); bounded, retention falls behind
// during a sustained peak and catches up below it (docs/operations.md, "Retention").
//
// An event is never deleted while one of its deliveries is pending
// (DeliveryQueue::deleteEventsBefore). Several processes on one PostgreSQL database each run it;
// their batches take rows with FOR UPDATE SKIP LOCKED, so they share the work and never wait for
// one another (no advisory lock: a lock would serialise them without making any batch cheaper).
// Rows deleted count into smbhub_retention_deleted_total{table}.
//
// While the database is unavailable a run stops at once and waits for the next interval; other
// failures are logged as a repeating error (logger "retention").
//
// Thread-safety: start() and stop() from the controlling thread; runOnce() from one thread at a
// time (the job's own, or a test's).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "config/HubConfig.h"
#include "core/RepeatingErrorLog.h"
#include "store/DeliveryQueue.h"

namespace smbhub::retention {

struct RetentionRun {
    std::size_t events = 0;
    std::size_t deliveries = 0;
    std::size_t attempts = 0;
    std::size_t idempotencyKeys = 0;
};

class RetentionJob {
public:
    static constexpr int kBatchRows = 500;
    static constexpr std::chrono::milliseconds kPauseBetweenBatches{20};  // the shortest pause
    static constexpr int kShareOfTheDatabasePercent = 5;

    // The pause after a full batch that took `batch`.
    static std::chrono::milliseconds pauseAfter(std::chrono::nanoseconds batch);

    RetentionJob(store::DeliveryQueue& queue, const config::RetentionConfig& config);
    ~RetentionJob();
    RetentionJob(const RetentionJob&) = delete;
    RetentionJob& operator=(const RetentionJob&) = delete;

    void start();
    // Ends the current batch's pause at once and joins the thread. Idempotent.
    void stop();

    // One whole run at `nowMs`: every table until a batch finds nothing more to delete.
    RetentionRun runOnce(std::int64_t nowMs);

private:
    void loop();
    // False when stopping: the pause was cut short.
    bool pause(std::chrono::milliseconds duration);

    store::DeliveryQueue& queue_;
    const config::RetentionConfig config_;
    core::RepeatingErrorLog errors_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace smbhub::retention
