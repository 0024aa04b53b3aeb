#include "store/DatabaseHealth.h"

#include "core/Backoff.h"
#include "core/Clock.h"
#include "core/Random.h"

namespace smbhub::store {
namespace {

const std::string kSubject = "database";

core::RepeatingErrorLog::Options logOptions(const DatabaseHealth::Options& options) {
    core::RepeatingErrorLog::Options o;
    o.failing = "unavailable";
    o.recovered = "available again";
    o.summaryInterval = options.summaryInterval;
    return o;
}

}  // namespace

DatabaseHealth::DatabaseHealth(Options options, Probe probe, Poco::Logger& logger)
    : options_(options), probe_(std::move(probe)), log_(logger, logOptions(options)), upSince_(Clock::now()) {
    if (probe_) thread_ = std::thread([this] { run(); });
}

DatabaseHealth::~DatabaseHealth() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DatabaseHealth::admit() const {
    if (!probe_ || available()) return;
    std::lock_guard lock(mutex_);
    throw DatabaseOutage("the database is unavailable: " + reason_);
}

void DatabaseHealth::failed(const std::string& reason, bool reachedServer) {
    std::unique_lock lock(mutex_);
    markDown(lock, reason, reachedServer);
}

void DatabaseHealth::succeeded(std::uint64_t outagesWhenBegun) {
    if (available()) return;
    std::unique_lock lock(mutex_);
    if (down_ && outages_.load(std::memory_order_relaxed) == outagesWhenBegun) markUp(lock);
}

DatabaseStatus DatabaseHealth::status() const {
    std::lock_guard lock(mutex_);
    return {!down_, changedAt_, down_ ? reason_ : std::string()};
}

void DatabaseHealth::markDown(std::unique_lock<std::mutex>&, const std::string& reason, bool reachedServer) {
    const auto now = Clock::now();
    if (!down_) {
        outages_.fetch_add(1, std::memory_order_acq_rel);
        down_ = true;
        changedAt_ = core::nowMillis();
        refused_ = 0;
        if (now - upSince_ >= options_.stableAfter) failures_ = 0;
    }
    if (reachedServer != lastReachedServer_) failures_ = 0;  // a new kind of failure: start over
    lastReachedServer_ = reachedServer;
    ++failures_;
    reason_ = reason;
    const auto cap = reachedServer ? options_.maxRetry : options_.maxRetryUnanswered;
    nextProbe_ = now + core::backoffDelay(options_.firstRetry, cap, failures_, core::randomUnit());
    log_.failed(kSubject, reason, context());
    changed_.notify_all();
}

void DatabaseHealth::markUp(std::unique_lock<std::mutex>&) {
    down_ = false;
    changedAt_ = core::nowMillis();
    upSince_ = Clock::now();
    log_.succeeded(kSubject, context());
    changed_.notify_all();
}

std::string DatabaseHealth::context() const {
    const std::int64_t refused = refused_.load(std::memory_order_relaxed);
    return std::to_string(refused) + (refused == 1 ? " API request" : " API requests") + " refused";
}

void DatabaseHealth::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (!down_) {
            changed_.wait(lock);
            continue;
        }
        if (Clock::now() < nextProbe_) {
            changed_.wait_until(lock, nextProbe_);
            continue;
        }
        lock.unlock();
        const ConnectOutcome outcome = probe_();
        ++probes_;
        lock.lock();
        if (stopping_ || !down_) continue;  // an operation got through meanwhile
        if (outcome.ok) {
            markUp(lock);
        } else {
            markDown(lock, outcome.error, outcome.reachedServer);
        }
    }
}

}  // namespace smbhub::store
