#include "delivery/DeliveryEngine.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <variant>

#include "core/Clock.h"
#include "core/Random.h"
#include "delivery/AttemptRecord.h"
#include "delivery/DeliveryVerdict.h"
#include "delivery/OutcomeLog.h"

namespace smbhub::delivery {
namespace {

Poco::Logger& log() { return Poco::Logger::get("delivery"); }

constexpr int kClaimBatch = 256;
// A delivery given back because its integration is full is due again after this.
constexpr std::chrono::milliseconds kDeferral{250};
constexpr std::chrono::milliseconds kRecordRetry{500};
// A hand-off whose lease would run out within the attempt's timeout plus this is given back
// rather than started: another claim could otherwise send it a second time.
constexpr std::chrono::milliseconds kLeaseMargin{2000};

core::RepeatingErrorLog::Options troubleLogOptions() {
    core::RepeatingErrorLog::Options o;
    o.priority = Poco::Message::PRIO_WARNING;
    return o;
}

}  // namespace

DeliveryEngine::DeliveryEngine(store::DeliveryQueue& queue, TargetCache& targets, HttpSender& sender,
                               const config::DeliveryConfig& config, std::string workerId)
    : queue_(queue),
      targets_(targets),
      sender_(sender),
      config_(config),
      schedule_(config.retrySchedule, config.jitter),
      workerId_(std::move(workerId)),
      handoffOwner_(workerId_ + ":handoff"),
      limits_(config.maxInFlight, config.maxInFlightPerIntegration),
      errors_(log(), {}),
      troubles_(log(), troubleLogOptions()) {}

DeliveryEngine::~DeliveryEngine() { stop(); }

void DeliveryEngine::start() {
    {
        std::lock_guard lock(mutex_);
        started_ = true;
    }
    dispatcher_ = std::thread([this] { dispatchLoop(); });
    recorder_ = std::thread([this] { recordLoop(); });
}

std::optional<events::DeliveryHandoff::Lease> DeliveryEngine::leaseFor(std::size_t count) {
    std::lock_guard lock(mutex_);
    // What waits in memory is bounded; beyond it new deliveries are left to be claimed.
    const auto maxWaiting = static_cast<std::size_t>(config_.maxInFlight) * 2;
    if (!started_ || stopping_ || waiting_.size() + count > maxWaiting) return std::nullopt;
    return Lease{handoffOwner_, core::nowMillis() + config_.leaseDuration.count()};
}

void DeliveryEngine::handOff(std::vector<events::DeliveryJob> jobs) {
    if (jobs.empty()) return;
    {
        std::lock_guard lock(mutex_);
        for (auto& job : jobs) waiting_.push_back(std::move(job));
    }
    dispatcherWake_.notify_one();
}

void DeliveryEngine::wake() {
    {
        std::lock_guard lock(mutex_);
        claimRequested_ = true;
    }
    dispatcherWake_.notify_one();
}

void DeliveryEngine::stop() {
    std::vector<store::DeferredDelivery> unstarted;
    {
        std::lock_guard lock(mutex_);
        if (!started_ || dispatcherStopped_) return;
        stopping_ = true;
    }
    dispatcherWake_.notify_all();
    if (dispatcher_.joinable()) dispatcher_.join();
    {
        std::lock_guard lock(mutex_);
        dispatcherStopped_ = true;
        // Handed off but never started: due now, for whoever claims them next.
        for (const auto& job : waiting_) {
            unstarted.push_back({job.delivery.id, job.delivery.leaseOwner, core::nowMillis()});
        }
        waiting_.clear();
    }
    giveBack(std::move(unstarted));
    {
        // Let attempts already on the wire finish and be recorded; what is left when the
        // timeout passes is abandoned and its lease lets it be tried again later.
        std::unique_lock lock(mutex_);
        drained_.wait_for(lock, config_.timeout + std::chrono::seconds(1), [this] { return attemptsInProgress_ == 0; });
        discardResults_ = attemptsInProgress_ != 0;
    }
    recorderWake_.notify_all();
    if (recorder_.joinable()) recorder_.join();
}

void DeliveryEngine::dispatchLoop() {
    auto lastClaim = std::chrono::steady_clock::now() - config_.pollInterval;
    std::size_t waitingSeen = 0;  // waiting hand-offs that could not start (their integrations are full)
    while (true) {
        bool claimNow = false;
        {
            std::unique_lock lock(mutex_);
            dispatcherWake_.wait_for(lock, config_.pollInterval, [&] {
                return stopping_ || claimRequested_ || waiting_.size() != waitingSeen;
            });
            if (stopping_) return;
            claimNow = claimRequested_ || std::chrono::steady_clock::now() - lastClaim >= config_.pollInterval;
            claimRequested_ = false;
        }
        startWaiting();
        if (claimNow) {
            lastClaim = std::chrono::steady_clock::now();
            // Keep claiming while full batches come back: there is a backlog.
            while (claimAndStart()) {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
        }
        std::lock_guard lock(mutex_);
        waitingSeen = waiting_.size();
    }
}

void DeliveryEngine::startWaiting() {
    std::vector<events::DeliveryJob> starting;
    std::vector<store::DeferredDelivery> givenBack;
    {
        std::lock_guard lock(mutex_);
        const std::int64_t now = core::nowMillis();
        const std::int64_t latestUsableLease = now + (config_.timeout + kLeaseMargin).count();
        std::deque<events::DeliveryJob> stillWaiting;
        for (auto& job : waiting_) {
            if (job.delivery.leaseUntil < latestUsableLease) {
                givenBack.push_back({job.delivery.id, job.delivery.leaseOwner, now});
            } else if (limits_.tryAcquire(job.delivery.integrationId)) {
                ++attemptsInProgress_;
                starting.push_back(std::move(job));
            } else {
                stillWaiting.push_back(std::move(job));
            }
        }
        waiting_.swap(stillWaiting);
    }
    for (auto& job : starting) begin(std::move(job));
    giveBack(std::move(givenBack));
}

bool DeliveryEngine::claimAndStart() {
    const int limit = std::min(limits_.free(), kClaimBatch);
    if (limit <= 0) return false;
    const std::int64_t now = core::nowMillis();
    const std::string owner = workerId_ + ":" + std::to_string(++claimSequence_);
    std::vector<store::ClaimedDelivery> claims;
    try {
        claims = queue_.claimDue(owner, now, now + config_.leaseDuration.count(), limit, limits_.saturated());
        errors_.succeeded("claiming due deliveries");
    } catch (const store::DatabaseOutage&) {
        return false;  // the database's health check logs the outage; the next poll tries again
    } catch (const std::exception& e) {
        errors_.failed("claiming due deliveries", e.what());
        return false;
    }
    std::map<std::string, events::SharedEnvelope> envelopes;  // one per event of the batch
    std::vector<store::DeferredDelivery> deferred;
    int started = 0;
    for (auto& claim : claims) {
        if (!limits_.tryAcquire(claim.delivery.integrationId)) {
            deferred.push_back({claim.delivery.id, owner, now + kDeferral.count()});
            continue;
        }
        events::SharedEnvelope& envelope = envelopes[claim.event.id];
        if (!envelope) envelope = std::make_shared<const events::Envelope>(std::move(claim.event));
        {
            std::lock_guard lock(mutex_);
            ++attemptsInProgress_;
        }
        ++started;
        begin(events::DeliveryJob{std::move(claim.delivery), envelope});
    }
    giveBack(std::move(deferred));
    // Deferred claims do not count: claiming again at once would only defer them again.
    return started == limit;
}

void DeliveryEngine::begin(events::DeliveryJob job) {
    Preparation prepared = prepare(std::move(job), targets_, troubles_);
    if (auto* ready = std::get_if<PreparedAttempt>(&prepared)) {
        send(std::move(*ready), sender_, config_.timeout, troubles_,
             [this](FinishedAttempt attempt) { finished(std::move(attempt)); });
    } else if (auto* done = std::get_if<FinishedAttempt>(&prepared)) {
        finished(std::move(*done));
    } else {
        released(std::get<NotAttempted>(prepared).job.delivery.integrationId, 1);
    }
}

void DeliveryEngine::finished(FinishedAttempt attempt) {
    const DeliveryVerdict verdict = decide(attempt.report, DeliveryProgress{attempt.job.delivery.scheduleIndex},
                                           schedule_, core::randomUnit(), attempt.finishedAt);
    store::AttemptOutcome outcome = attemptOutcome(attempt, verdict);
    {
        std::lock_guard lock(mutex_);
        outcomes_.push_back(std::move(outcome));
    }
    recorderWake_.notify_one();
}

void DeliveryEngine::giveBack(std::vector<store::DeferredDelivery> deferred) {
    if (deferred.empty()) return;
    // Should this fail, the leases expire and the deliveries are claimed again then.
    try {
        queue_.defer(deferred);
        errors_.succeeded("giving deliveries back");
    } catch (const store::DatabaseOutage&) {
    } catch (const std::exception& e) {
        errors_.failed("giving deliveries back", std::string(e.what()) + " (their leases will expire)");
    }
}

void DeliveryEngine::recordLoop() {
    std::vector<store::AttemptOutcome> batch;
    while (true) {
        {
            std::unique_lock lock(mutex_);
            recorderWake_.wait(lock, [this] {
                return !outcomes_.empty() || (dispatcherStopped_ && (attemptsInProgress_ == 0 || discardResults_));
            });
            if (outcomes_.empty()) return;  // stopping and drained
            batch.swap(outcomes_);
        }
        // Kept in memory and tried again until written; should the process die meanwhile, the
        // leases expire and the deliveries are attempted again (at least once).
        std::vector<store::DisabledIntegration> disabled;
        while (true) {
            try {
                disabled = queue_.record(batch, config_.disableAfterFailedDeliveries);
                errors_.succeeded("recording attempts");
                break;
            } catch (const store::DatabaseOutage&) {
                // The database's health check logs the outage.
            } catch (const std::exception& e) {
                errors_.failed("recording attempts",
                               std::string(e.what()) + " (" + std::to_string(batch.size()) + " kept, retrying)");
            }
            std::unique_lock lock(mutex_);
            if (discardResults_) return;
            recorderWake_.wait_for(lock, kRecordRetry);
        }
        logRecordedOutcomes(batch, disabled);
        std::map<std::string, int> finishedByIntegration;
        for (const auto& o : batch) ++finishedByIntegration[o.attempt.integrationId];
        batch.clear();
        for (const auto& [integrationId, count] : finishedByIntegration) released(integrationId, count);
    }
}

void DeliveryEngine::released(const std::string& integrationId, int count) {
    limits_.release(integrationId, count);
    {
        std::lock_guard lock(mutex_);
        attemptsInProgress_ -= count;
        claimRequested_ = true;  // slots are free: due work (waiting or queued) may start
    }
    dispatcherWake_.notify_one();
    drained_.notify_all();
    recorderWake_.notify_all();
}

}  // namespace smbhub::delivery
