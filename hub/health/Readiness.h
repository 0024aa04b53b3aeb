// Whether this process should be sent traffic (SPEC §14 `GET /readyz`): not while it drains
// (SIGTERM received), and not while its database does not answer.
//
// The database is asked through a DatabaseCheck, run on a thread of its own with a deadline:
// however many probes a load balancer sends, at most one check is in flight, a result is reused
// for `maxAge`, and a check that has not answered within `timeout` counts as "database
// unavailable" (a hung database must not hang the probe). Today the check is a cheap query
// (Store::ping); once the store keeps a database-health state of its own, the check becomes a
// read of that state and nothing else here changes.
//
// A change of verdict is logged once (logger "health"), with the database's own error; the
// answer to a probe carries only a short reason ("draining", "database_unavailable").
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace smbhub::health {

// Asks the database for a sign of life. Returns nothing when it answered, else why not (for the
// log). May throw: an exception counts as "why not".
using DatabaseCheck = std::function<std::optional<std::string>()>;

struct ReadinessOptions {
    std::chrono::milliseconds timeout{2000};  // a check slower than this is a failed check
    std::chrono::milliseconds maxAge{1000};   // a check's result is reused this long
};

struct ReadinessVerdict {
    bool ready = false;
    std::string reason;  // "" when ready; "draining" or "database_unavailable"
};

class Readiness {
public:
    explicit Readiness(DatabaseCheck check, ReadinessOptions options = {});
    ~Readiness();
    Readiness(const Readiness&) = delete;
    Readiness& operator=(const Readiness&) = delete;

    // From now on the process is not ready, whatever the database says (SIGTERM). Idempotent.
    void startDraining();
    bool draining() const;

    // The verdict now; waits at most `timeout` for a check of the database.
    ReadinessVerdict verdict();

private:
    void checkLoop();
    ReadinessVerdict fromDatabase(const std::optional<std::string>& problem) const;
    void noteDatabase(const std::optional<std::string>& problem);

    const DatabaseCheck check_;
    const ReadinessOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool draining_ = false;
    bool stopping_ = false;
    bool checkWanted_ = false;
    bool checkRunning_ = false;
    std::chrono::steady_clock::time_point checkStartedAt_{};
    std::uint64_t checksDone_ = 0;
    std::chrono::steady_clock::time_point lastCheckAt_{};  // when the last finished check started
    std::optional<std::string> lastProblem_;  // of the last check that finished
    bool haveResult_ = false;
    bool loggedUnavailable_ = false;
    std::thread thread_;  // last: started once everything above is ready
};

}  // namespace smbhub::health
