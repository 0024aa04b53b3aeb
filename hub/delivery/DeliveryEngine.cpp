#include "delivery/DeliveryEngine.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include <algorithm>

#include "core/Clock.h"
#include "core/Random.h"
#include "delivery/OutcomeLog.h"
#include "delivery/SignedRequest.h"
#include "events/EventTypes.h"

namespace smbhub::delivery {
namespace {

Poco::Logger& log() { return Poco::Logger::get("delivery"); }

constexpr int kClaimBatch = 256;
constexpr std::size_t kResponseBodyLimit = 1024;
constexpr std::chrono::milliseconds kDeferral{250};
constexpr std::chrono::milliseconds kRecordRetry{500};

core::RepeatingErrorLog::Options troubleLogOptions() {
    core::RepeatingErrorLog::Options o;
    o.priority = Poco::Message::PRIO_WARNING;
    return o;
}

std::string headerValue(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (Poco::icompare(key, name) == 0) return value;
    }
    return "";
}

}  // namespace

struct DeliveryEngine::InFlight {
    store::ClaimedDelivery claim;
    std::string leaseOwner;
    std::shared_ptr<const DeliveryTarget> target;
    std::vector<sdk::OutboundRequest> requests;
    std::size_t part = 0;  // the request being sent
    int startPart = 0;     // requests an earlier attempt already delivered
    int attempt = 1;
    std::int64_t startedAt = 0;
};

DeliveryEngine::DeliveryEngine(store::Store& store, TargetCache& targets, HttpSender& sender,
                               const config::DeliveryConfig& config, std::string processId)
    : store_(store),
      targets_(targets),
      sender_(sender),
      config_(config),
      schedule_(config.retrySchedule, config.jitter),
      processId_(std::move(processId)),
      errors_(log(), {}),
      troubles_(log(), troubleLogOptions()) {}

DeliveryEngine::~DeliveryEngine() { stop(); }

void DeliveryEngine::start() {
    dispatcher_ = std::thread([this] { dispatchLoop(); });
    recorder_ = std::thread([this] { recordLoop(); });
}

void DeliveryEngine::wake() {
    {
        std::lock_guard lock(mutex_);
        wakeRequested_ = true;
    }
    dispatcherWake_.notify_one();
}

void DeliveryEngine::stop() {
    {
        std::lock_guard lock(mutex_);
        if (dispatcherStopped_) return;
        stopping_ = true;
    }
    dispatcherWake_.notify_all();
    if (dispatcher_.joinable()) dispatcher_.join();
    {
        std::lock_guard lock(mutex_);
        dispatcherStopped_ = true;
    }
    {
        // Let requests already on the wire finish and be recorded; what is left when the
        // timeout passes is abandoned and its lease lets it be tried again later.
        std::unique_lock lock(mutex_);
        drained_.wait_for(lock, config_.timeout + std::chrono::seconds(1),
                          [this] { return inFlight_ == 0; });
        discardResults_ = inFlight_ != 0;
    }
    recorderWake_.notify_all();
    if (recorder_.joinable()) recorder_.join();
}

void DeliveryEngine::dispatchLoop() {
    while (true) {
        int capacity = 0;
        {
            std::unique_lock lock(mutex_);
            dispatcherWake_.wait_for(lock, config_.pollInterval, [this] {
                return stopping_ || (wakeRequested_ && inFlight_ < config_.maxInFlight);
            });
            if (stopping_) return;
            wakeRequested_ = false;
            capacity = config_.maxInFlight - inFlight_;
        }
        // Keep claiming while full batches come back: there is a backlog.
        while (capacity > 0) {
            const int limit = std::min(capacity, kClaimBatch);
            const int claimed = claimAndStart(limit);
            if (claimed < limit) break;
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            capacity = config_.maxInFlight - inFlight_;
        }
    }
}

int DeliveryEngine::claimAndStart(int limit) {
    const std::int64_t now = core::nowMillis();
    const std::string owner = processId_ + ":" + std::to_string(++claimSequence_);
    std::vector<std::string> saturated;  // integrations at their in-flight limit: not claimed now
    {
        std::lock_guard lock(mutex_);
        for (const auto& [integrationId, active] : inFlightByIntegration_) {
            if (active >= config_.maxInFlightPerIntegration) saturated.push_back(integrationId);
        }
    }
    std::vector<store::ClaimedDelivery> claims;
    try {
        claims = store_.claimDue(owner, now, now + config_.leaseDuration.count(), limit, saturated);
        errors_.succeeded("claiming due deliveries");
    } catch (const store::DatabaseOutage&) {
        return 0;  // the store logs the outage; the next poll tries again
    } catch (const std::exception& e) {
        errors_.failed("claiming due deliveries", e.what());
        return 0;
    }
    std::vector<store::DeferredDelivery> deferred;
    for (auto& claim : claims) {
        {
            std::lock_guard lock(mutex_);
            int& active = inFlightByIntegration_[claim.delivery.integrationId];
            if (active >= config_.maxInFlightPerIntegration) {
                deferred.push_back({claim.delivery.id, owner, now + kDeferral.count()});
                continue;
            }
            ++active;
            ++inFlight_;
        }
        begin(std::move(claim), owner);
    }
    if (!deferred.empty()) {
        // Should this fail, the leases expire and the deliveries are claimed again then.
        try {
            store_.deferDeliveries(deferred);
            errors_.succeeded("deferring deliveries");
        } catch (const store::DatabaseOutage&) {
        } catch (const std::exception& e) {
            errors_.failed("deferring deliveries", std::string(e.what()) + " (their leases will expire)");
        }
    }
    // Deferred claims do not count: claiming again at once would only defer them again.
    return static_cast<int>(claims.size() - deferred.size());
}

void DeliveryEngine::begin(store::ClaimedDelivery claim, const std::string& leaseOwner) {
    auto work = std::make_shared<InFlight>();
    work->leaseOwner = leaseOwner;
    work->attempt = claim.delivery.attempts + 1;
    work->startedAt = core::nowMillis();
    work->claim = std::move(claim);
    const store::Delivery& delivery = work->claim.delivery;
    work->startPart = std::max(0, delivery.partsDone);
    try {
        work->target = targets_.get(delivery.integrationId);
    } catch (const store::StoreUnavailable&) {
        // The database went away since the claim: no attempt was made, so none is recorded (it
        // would use up a retry); the lease expires and the delivery is claimed again.
        return release(delivery.integrationId, 1);
    } catch (const std::exception& e) {
        return finish(work, {}, std::string("cannot load the integration: ") + e.what(), false, false, "");
    }
    if (!work->target) {  // deleted meanwhile: its deliveries are already cancelled
        return release(delivery.integrationId, 1);
    }
    const DeliveryTarget& target = *work->target;
    if (!target.problem.empty()) return finish(work, {}, target.problem, false, target.problemIsFinal, "");

    const store::Event& event = work->claim.event;
    sdk::EventView view;
    view.id = event.id;
    view.type = event.type;
    view.accountId = event.accountId;
    view.createdAt = core::isoUtc(event.createdAt);
    view.test = event.test;
    view.envelopeJson = event.envelopeJson;
    view.dataJson = events::dataJsonOf(event.envelopeJson);
    const std::string plugin = "plugin " + target.provider->id;
    try {
        work->requests = target.provider->provider->render(view, target.view);
        if (troubles_.anyFailing()) troubles_.succeeded(plugin + " render");
    } catch (const std::exception& e) {
        troubles_.failed(plugin + " render", std::string("threw: ") + e.what());
        return finish(work, {}, plugin + " failed to render: " + e.what(), false, false, "");
    } catch (...) {
        troubles_.failed(plugin + " render", "threw a non-standard exception");
        return finish(work, {}, plugin + " failed to render", false, false, "");
    }
    work->part = static_cast<std::size_t>(work->startPart);
    if (work->part >= work->requests.size()) {
        return finish(work, {}, work->requests.empty() ? "the provider had nothing to send" : "",
                      true, false, "");
    }
    sendPart(work);
}

void DeliveryEngine::sendPart(const std::shared_ptr<InFlight>& work) {
    const DeliveryTarget& target = *work->target;
    const DeliveryHeaders headers{work->claim.event.type, work->claim.event.id,
                                  work->claim.delivery.id, work->attempt};
    HttpRequest request = signedRequest(target.view.target, work->requests[work->part], headers,
                                        target.signingSecret, core::nowMillis() / 1000,
                                        config_.timeout);
    sender_.send(std::move(request),
                 [this, work](HttpResponse response) { onResponse(work, std::move(response)); });
}

void DeliveryEngine::onResponse(const std::shared_ptr<InFlight>& work, HttpResponse response) {
    // Network-level failures (DNS, refused, TLS, timeouts) by host: a receiver that keeps failing
    // them is worth a line for the operator, not one per attempt. Any HTTP answer means the
    // network part works.
    if (response.status == 0) {
        troubles_.failed("deliveries to " + work->target->view.target.host,
                         response.error.empty() ? "no response" : response.error);
    } else if (troubles_.anyFailing()) {
        troubles_.succeeded("deliveries to " + work->target->view.target.host);
    }
    if (response.status == 0) {
        return finish(work, response, response.error.empty() ? "no response" : response.error,
                      false, false, "");
    }
    sdk::ResponseDecision decision;
    try {
        sdk::ResponseView view;
        view.status = response.status;
        for (const auto& [name, value] : response.headers) view.headers.push_back({name, value});
        view.bodyPrefix = response.bodyPrefix.substr(0, kResponseBodyLimit);
        decision = work->target->provider->provider->interpret(view);
        if (troubles_.anyFailing()) troubles_.succeeded("plugin " + work->target->provider->id + " interpret");
    } catch (const std::exception& e) {
        troubles_.failed("plugin " + work->target->provider->id + " interpret", std::string("threw: ") + e.what());
        decision.reason = std::string("plugin failed to interpret the response: ") + e.what();
    } catch (...) {
        troubles_.failed("plugin " + work->target->provider->id + " interpret", "threw a non-standard exception");
        decision.reason = "plugin failed to interpret the response";
    }
    using sdk::Verdict;
    const bool is2xx = response.status >= 200 && response.status < 300;
    const bool succeeded = decision.verdict == Verdict::Success ||
                           (decision.verdict == Verdict::Default && is2xx);
    if (succeeded && work->part + 1 < work->requests.size()) {
        ++work->part;  // a multi-request rendering continues with its next request
        return sendPart(work);
    }
    std::string error = decision.reason;
    if (error.empty()) error = response.error;  // e.g. the body was cut short after the headers
    if (error.empty() && response.status >= 300 && response.status < 400) {
        error = "redirects are not followed (HTTP " + std::to_string(response.status) + ")";
    }
    const bool disable = decision.verdict == Verdict::DisableIntegration;
    const bool permanent = disable || decision.verdict == Verdict::FailPermanently;
    std::string disableReason;
    if (disable) {
        disableReason = decision.reason.empty()
                            ? "the receiver asked for no more deliveries (HTTP " +
                                  std::to_string(response.status) + ")"
                            : decision.reason;
    }
    finish(work, response, error, succeeded, permanent, disableReason);
}

void DeliveryEngine::finish(const std::shared_ptr<InFlight>& work, const HttpResponse& response,
                            const std::string& error, bool succeeded, bool permanent,
                            const std::string& disableReason) {
    const store::ClaimedDelivery& claim = work->claim;
    const std::int64_t now = core::nowMillis();
    store::AttemptOutcome outcome;
    outcome.leaseOwner = work->leaseOwner;
    const int delivered = succeeded ? static_cast<int>(work->requests.size()) : static_cast<int>(work->part);
    outcome.partsDone = std::max(delivered, work->startPart);
    outcome.requestsAccepted = std::max(0, delivered - work->startPart);
    outcome.scheduleIndex = claim.delivery.scheduleIndex;
    outcome.disableReason = disableReason;

    store::Attempt& a = outcome.attempt;
    a.id = core::newId("att");
    a.deliveryId = claim.delivery.id;
    a.integrationId = claim.delivery.integrationId;
    a.eventId = claim.event.id;
    a.eventType = claim.event.type;
    a.attempt = work->attempt;
    a.createdAt = now;
    a.durationMs = now - work->startedAt;
    if (response.status > 0) {
        a.responseStatus = response.status;
        a.responseBody = response.bodyPrefix.substr(0, kResponseBodyLimit);
    }
    if (!error.empty()) a.error = error;

    if (succeeded) {
        outcome.deliveryStatus = a.status = "succeeded";
    } else {
        std::optional<std::chrono::milliseconds> retryAfter;
        if (response.status == 429 || response.status == 503) {
            retryAfter = parseRetryAfter(headerValue(response, "Retry-After"), now);
        }
        const auto delay = permanent ? std::nullopt
                                     : schedule_.nextDelay(claim.delivery.scheduleIndex,
                                                           core::randomUnit(), retryAfter);
        if (delay) {
            outcome.deliveryStatus = a.status = "pending";
            outcome.scheduleIndex = claim.delivery.scheduleIndex + 1;
            outcome.nextAttemptAt = now + delay->count();
            a.nextAttemptAt = outcome.nextAttemptAt;
        } else {
            outcome.deliveryStatus = a.status = "failed";
            outcome.deliveryExhausted = true;
        }
    }
    {
        std::lock_guard lock(mutex_);
        pendingOutcomes_.push_back(std::move(outcome));
    }
    recorderWake_.notify_one();
}

void DeliveryEngine::recordLoop() {
    std::vector<store::AttemptOutcome> batch;
    while (true) {
        {
            std::unique_lock lock(mutex_);
            recorderWake_.wait(lock, [this] {
                return !pendingOutcomes_.empty() || (dispatcherStopped_ &&
                                                     (inFlight_ == 0 || discardResults_));
            });
            if (pendingOutcomes_.empty()) return;  // stopping and drained
            batch.swap(pendingOutcomes_);
        }
        // Kept in memory and tried again until written; should the process die meanwhile, the
        // leases expire and the deliveries are attempted again (at least once).
        while (true) {
            try {
                const auto disabled = store_.recordAttempts(batch, config_.disableAfterFailedDeliveries);
                errors_.succeeded("recording attempts");
                logRecordedOutcomes(batch, disabled);
                break;
            } catch (const store::DatabaseOutage&) {
                // The store logs the outage.
            } catch (const std::exception& e) {
                errors_.failed("recording attempts",
                               std::string(e.what()) + " (" + std::to_string(batch.size()) + " kept, retrying)");
            }
            std::unique_lock lock(mutex_);
            if (discardResults_) return;
            recorderWake_.wait_for(lock, kRecordRetry);
        }
        std::map<std::string, int> finished;
        for (const auto& o : batch) ++finished[o.attempt.integrationId];
        batch.clear();
        for (const auto& [integrationId, count] : finished) release(integrationId, count);
    }
}

void DeliveryEngine::release(const std::string& integrationId, int count) {
    {
        std::lock_guard lock(mutex_);
        inFlight_ -= count;
        auto it = inFlightByIntegration_.find(integrationId);
        if (it != inFlightByIntegration_.end() && (it->second -= count) <= 0) {
            inFlightByIntegration_.erase(it);
        }
        wakeRequested_ = true;
    }
    dispatcherWake_.notify_one();
    drained_.notify_all();
    recorderWake_.notify_all();
}

}  // namespace smbhub::delivery
