#include "health/Readiness.h"

#include <Poco/Logger.h>

namespace smbhub::health {
namespace {

Poco::Logger& log() { return Poco::Logger::get("health"); }

constexpr const char* kDraining = "draining";
constexpr const char* kDatabaseUnavailable = "database_unavailable";

}  // namespace

Readiness::Readiness(DatabaseCheck check, ReadinessOptions options)
    : check_(std::move(check)), options_(options), thread_([this] { checkLoop(); }) {}

Readiness::~Readiness() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void Readiness::startDraining() {
    {
        std::lock_guard lock(mutex_);
        if (draining_) return;
        draining_ = true;
    }
    log().information("draining: /readyz answers 503 from now on");
    changed_.notify_all();
}

bool Readiness::draining() const {
    std::lock_guard lock(mutex_);
    return draining_;
}

ReadinessVerdict Readiness::fromDatabase(const std::optional<std::string>& problem) const {
    if (problem) return {false, kDatabaseUnavailable};
    return {true, ""};
}

ReadinessVerdict Readiness::verdict() {
    using Clock = std::chrono::steady_clock;
    std::unique_lock lock(mutex_);
    if (draining_) return {false, kDraining};
    const Clock::time_point now = Clock::now();
    if (haveResult_ && now - lastCheckAt_ < options_.maxAge) return fromDatabase(lastProblem_);

    const std::uint64_t seen = checksDone_;
    if (!checkRunning_) {
        checkWanted_ = true;
        changed_.notify_all();
    }
    // A check already under way is waited for until its own deadline, not a fresh one.
    const Clock::time_point deadline = (checkRunning_ ? checkStartedAt_ : now) + options_.timeout;
    const bool answered = changed_.wait_until(lock, deadline, [&] {
        return checksDone_ > seen || draining_ || stopping_;
    });
    if (draining_) return {false, kDraining};
    if (answered && checksDone_ > seen) return fromDatabase(lastProblem_);
    const std::string problem =
        "the database did not answer within " + std::to_string(options_.timeout.count()) + " ms";
    noteDatabase(problem);
    return {false, kDatabaseUnavailable};
}

void Readiness::checkLoop() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [this] { return checkWanted_ || stopping_; });
        if (stopping_) return;
        checkWanted_ = false;
        checkRunning_ = true;
        const auto startedAt = checkStartedAt_ = std::chrono::steady_clock::now();
        lock.unlock();
        std::optional<std::string> problem;
        try {
            problem = check_();
        } catch (const std::exception& e) {
            problem = e.what();
        } catch (...) {
            problem = "the database check failed";
        }
        lock.lock();
        checkRunning_ = false;
        lastCheckAt_ = startedAt;
        lastProblem_ = problem;
        haveResult_ = true;
        ++checksDone_;
        noteDatabase(problem);
        changed_.notify_all();
    }
}

// Logs changes only: a load balancer probing every second must not fill the log.
void Readiness::noteDatabase(const std::optional<std::string>& problem) {
    if (problem && !loggedUnavailable_) {
        loggedUnavailable_ = true;
        log().warning("not ready: %s", *problem);
    } else if (!problem && loggedUnavailable_) {
        loggedUnavailable_ = false;
        log().information("ready: the database answers again");
    }
}

}  // namespace smbhub::health
