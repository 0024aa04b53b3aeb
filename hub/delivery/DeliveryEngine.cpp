#include "delivery/DeliveryEngine.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "core/Clock.h"
#include "core/Random.h"
#include "delivery/AttemptRecord.h"
#include "delivery/DeliveryVerdict.h"
#include "delivery/AttemptMetrics.h"
#include "delivery/OutcomeLog.h"

namespace smbhub::delivery {
namespace {

Poco::Logger& log() { return Poco::Logger::get("delivery"); }

constexpr int kClaimBatch = 256;
constexpr std::chrono::milliseconds kRecordRetry{500};
// A hand-off whose lease would run out within the attempt's timeout plus this is given back
// rather than started: another claim could otherwise send it a second time.
constexpr std::chrono::milliseconds kLeaseMargin{2000};
// Requests an integration is sent at once before its receiver has shown it takes more (SPEC §15:
// start small).
constexpr double kInitialWindow = 4;

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
      limits_(config.maxInFlight, config.maxInFlightPerIntegration, kInitialWindow),
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
            // A paced integration's next delivery may be due before the next poll.
            auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(config_.pollInterval);
            if (wakeAt_ > 0) {
                wait = std::clamp(std::chrono::milliseconds(wakeAt_ - core::nowMillis()), std::chrono::milliseconds(1), wait);
            }
            dispatcherWake_.wait_for(lock, wait, [&] {
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
    std::vector<std::pair<events::DeliveryJob, InFlightLimits::Ticket>> starting;
    std::vector<store::DeferredDelivery> givenBack;
    {
        std::lock_guard lock(mutex_);
        const std::int64_t now = core::nowMillis();
        const std::int64_t latestUsableLease = now + (config_.timeout + kLeaseMargin).count();
        std::deque<events::DeliveryJob> stillWaiting;
        // Integrations that refused a delivery in this pass, and until when: their later ones wait
        // too (in order), without asking again.
        std::map<std::string, std::int64_t> refused;
        wakeAt_ = 0;
        for (auto& job : waiting_) {
            const std::string& integrationId = job.delivery.integrationId;
            auto stop = refused.find(integrationId);
            if (stop == refused.end()) {
                InFlightLimits::Admission admission = limits_.tryAcquire(integrationId, now);
                if (admission.ticket && job.delivery.leaseUntil >= latestUsableLease) {
                    ++attemptsInProgress_;
                    starting.emplace_back(std::move(job), std::move(*admission.ticket));
                    continue;
                }
                if (admission.ticket) {
                    // Its lease would run out mid-attempt: the slot goes unused.
                    limits_.answered(*admission.ticket, IntegrationPacing::Answer::Neutral, std::nullopt);
                    limits_.release(integrationId);
                } else {
                    stop = refused.emplace(integrationId, admission.notBefore).first;
                }
            }
            const std::int64_t notBefore = stop == refused.end() ? 0 : stop->second;
            if (job.delivery.leaseUntil < latestUsableLease) {
                // Given back, due when its integration may be sent to again.
                givenBack.push_back({job.delivery.id, job.delivery.leaseOwner, std::max(now, notBefore)});
                continue;
            }
            if (notBefore > 0 && (wakeAt_ == 0 || notBefore < wakeAt_)) wakeAt_ = notBefore;
            stillWaiting.push_back(std::move(job));
        }
        waiting_.swap(stillWaiting);
    }
    for (auto& [job, ticket] : starting) begin(std::move(job), std::move(ticket));
    giveBack(std::move(givenBack));
}

bool DeliveryEngine::claimAndStart() {
    const int limit = std::min(limits_.free(), kClaimBatch);
    if (limit <= 0) return false;
    const std::int64_t now = core::nowMillis();
    const std::string owner = workerId_ + ":" + std::to_string(++claimSequence_);
    // Integrations that cannot take more now, or have deliveries waiting in memory already.
    std::vector<std::string> excluded = limits_.saturated(now);
    {
        std::lock_guard lock(mutex_);
        std::set<std::string> waitingFor;
        for (const auto& job : waiting_) waitingFor.insert(job.delivery.integrationId);
        for (const auto& id : excluded) waitingFor.erase(id);
        excluded.insert(excluded.end(), waitingFor.begin(), waitingFor.end());
    }
    std::vector<store::ClaimedDelivery> claims;
    try {
        claims = queue_.claimDue(owner, now, now + config_.leaseDuration.count(), limit, excluded);
        errors_.succeeded("claiming due deliveries");
    } catch (const store::DatabaseOutage&) {
        return false;  // the database's health check logs the outage; the next poll tries again
    } catch (const std::exception& e) {
        errors_.failed("claiming due deliveries", e.what());
        return false;
    }
    std::map<std::string, events::SharedEnvelope> envelopes;  // one per event of the batch
    std::set<std::string> refused;  // integrations that could not start one of these
    std::vector<events::DeliveryJob> wait;
    int started = 0;
    for (auto& claim : claims) {
        events::SharedEnvelope& envelope = envelopes[claim.event.id];
        if (!envelope) envelope = std::make_shared<const events::Envelope>(std::move(claim.event));
        events::DeliveryJob job{std::move(claim.delivery), envelope};
        InFlightLimits::Admission admission;
        if (!refused.count(job.delivery.integrationId)) admission = limits_.tryAcquire(job.delivery.integrationId, now);
        if (!admission.ticket) {
            // Its integration is full, paused or out of tokens: it waits in memory, in order.
            refused.insert(job.delivery.integrationId);
            wait.push_back(std::move(job));
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            ++attemptsInProgress_;
        }
        ++started;
        begin(std::move(job), std::move(*admission.ticket));
    }
    if (!wait.empty()) {
        {
            std::lock_guard lock(mutex_);
            for (auto& job : wait) waiting_.push_back(std::move(job));
        }
        startWaiting();  // sets when to look at them again
    }
    // Waiting claims do not count: claiming again at once would only make more wait.
    return started == limit;
}

void DeliveryEngine::begin(events::DeliveryJob job, InFlightLimits::Ticket ticket) {
    const std::string integrationId = job.delivery.integrationId;
    Preparation prepared = prepare(std::move(job), targets_, troubles_);
    if (auto* ready = std::get_if<PreparedAttempt>(&prepared)) {
        const std::int64_t now = core::nowMillis();
        // Until now the integration took one request at a time (its rate limit unknown): others
        // that wait for it may start.
        if (limits_.configure(integrationId, ready->target->rateLimitPerSecond, now)) wake();
        // Requests beyond the first (one per Clay row) count against a rate limit too.
        limits_.charge(integrationId, static_cast<int>(ready->requests.size() - ready->firstPart) - 1, now);
        send(std::move(*ready), sender_, config_.timeout, troubles_,
             [this, ticket = std::move(ticket)](FinishedAttempt attempt) { finished(std::move(attempt), ticket); });
    } else if (auto* done = std::get_if<FinishedAttempt>(&prepared)) {
        finished(std::move(*done), ticket);
    } else {
        limits_.answered(ticket, IntegrationPacing::Answer::Neutral, std::nullopt);
        released(integrationId, 1);
    }
}

void DeliveryEngine::finished(FinishedAttempt attempt, const InFlightLimits::Ticket& ticket) {
    const AttemptReport& report = attempt.report;
    // Retry-After on a 429 or 503 pauses the whole integration, not only this delivery.
    std::optional<std::int64_t> pauseUntil;
    if (report.retryAfter) pauseUntil = attempt.finishedAt + report.retryAfter->count();
    if (limits_.answered(ticket, receiverAnswer(report), pauseUntil)) {
        {
            std::lock_guard lock(mutex_);
            claimRequested_ = true;  // its window has room again
        }
        dispatcherWake_.notify_one();
    }
    const DeliveryVerdict verdict = decide(attempt.report, DeliveryProgress{attempt.job.delivery.scheduleIndex},
                                           schedule_, core::randomUnit(), attempt.finishedAt);
    countFinishedAttempt(attempt, verdict);
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
