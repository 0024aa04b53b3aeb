// Whether the database can be used right now. One per store, consulted by everything that uses
// the database — API requests, the delivery dispatcher and recorder, a future retention job — so
// that an outage is noticed once, logged as a state, not hammered while it lasts, and left as soon
// as the database is back. status() is what a readiness check reports.
//
// With a probe (PostgreSQL): once an operation reports the database unavailable (it could not
// connect, or the server did not answer within `database.timeout`), admit() refuses every
// operation at once — a DatabaseOutage, 503 for the API — without touching the network, and a
// thread of its own probes the server instead: one non-blocking connection attempt at a time
// (store/PostgresConnect), retried with exponential backoff and jitter from `firstRetry`:
// - at most `maxRetryUnanswered` (1 s) apart while nothing answers at the server's address
//   (refused, unreachable): such a probe costs the server nothing, and a server that comes back
//   is found within a second;
// - at most `maxRetry` (5 s) apart while the server accepts connections but fails them or does
//   not answer (starting up, overloaded, too many clients, hung): that is where retrying costs it.
// The backoff restarts from `firstRetry` whenever the kind of failure changes (a port that opens
// again), and after the database stayed available for `stableAfter`. The first successful probe
// makes it available again, and so does an operation that began after the outage did: one begun
// before (answered just before a server froze, its answer read a moment after another operation's
// deadline declared the outage) proves nothing about the server now, and must not make the state
// flap.
//
// Without a probe (SQLite, a local file that cannot be hammered): operations are always admitted;
// a write that fails for lack of space or an I/O error reports it unavailable, the next write that
// succeeds reports it back.
//
// Log (logger "database"): "database unavailable: <reason>" once, "database still unavailable
// after 3m 0s: … N API requests refused …" at most once per `summaryInterval`, "database
// available again after …" once (core/RepeatingErrorLog).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/RepeatingErrorLog.h"
#include "store/PostgresConnect.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

class DatabaseHealth {
public:
    using Clock = std::chrono::steady_clock;

    struct Options {
        std::chrono::milliseconds firstRetry{250};
        std::chrono::milliseconds maxRetry{5000};
        std::chrono::milliseconds maxRetryUnanswered{1000};
        std::chrono::milliseconds stableAfter{30000};
        std::chrono::milliseconds summaryInterval{60000};
    };
    // One attempt to reach the database, bounded in time by itself.
    using Probe = std::function<ConnectOutcome()>;

    // `probe` empty: no gate and no thread (SQLite).
    DatabaseHealth(Options options, Probe probe, Poco::Logger& logger);
    ~DatabaseHealth();
    DatabaseHealth(const DatabaseHealth&) = delete;
    DatabaseHealth& operator=(const DatabaseHealth&) = delete;

    // Before an operation: throws DatabaseOutage while the database is unavailable (with a probe).
    void admit() const;
    // An operation found the database unavailable. `reachedServer`: see ConnectOutcome.
    void failed(const std::string& reason, bool reachedServer);
    // Which outage the database is in or was last in: taken when an operation begins, handed back
    // to succeeded().
    std::uint64_t outagesSoFar() const { return outages_.load(std::memory_order_acquire); }
    // An operation, begun when outagesSoFar() was `outagesWhenBegun`, used the database
    // successfully.
    void succeeded(std::uint64_t outagesWhenBegun);
    // An API request was answered 503 because of the outage (counted for the log).
    void refused() { refused_.fetch_add(1, std::memory_order_relaxed); }

    DatabaseStatus status() const;
    bool available() const { return !down_.load(std::memory_order_acquire); }
    // Probes made so far (tests).
    std::int64_t probes() const { return probes_.load(); }

private:
    void run();
    void markDown(std::unique_lock<std::mutex>& lock, const std::string& reason, bool reachedServer);
    void markUp(std::unique_lock<std::mutex>& lock);
    std::string context() const;

    const Options options_;
    const Probe probe_;
    core::RepeatingErrorLog log_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::atomic<bool> down_{false};
    std::atomic<std::int64_t> refused_{0};
    std::atomic<std::int64_t> probes_{0};
    std::atomic<std::uint64_t> outages_{0};  // outages begun
    std::string reason_;
    std::int64_t changedAt_ = 0;  // Unix ms
    Clock::time_point upSince_;
    bool lastReachedServer_ = false;
    int failures_ = 0;  // in a row, of the current kind
    Clock::time_point nextProbe_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace smbhub::store
