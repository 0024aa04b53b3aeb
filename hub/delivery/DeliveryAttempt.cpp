#include "delivery/DeliveryAttempt.h"

#include <Poco/String.h>

#include <algorithm>

#include "core/Clock.h"
#include "delivery/SignedRequest.h"

namespace smbhub::delivery {
namespace {

constexpr std::size_t kResponseBodyLimit = 1024;

std::string headerValue(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (Poco::icompare(key, name) == 0) return value;
    }
    return "";
}

FinishedAttempt finishedWithout(events::DeliveryJob job, int attempt, std::int64_t startedAt,
                                AttemptReport::Stage stage, std::string problem, bool final = false) {
    FinishedAttempt f;
    f.attempt = attempt;
    f.startedAt = startedAt;
    f.finishedAt = core::nowMillis();
    f.partsDone = std::max(0, job.delivery.partsDone);
    f.report.stage = stage;
    f.report.problem = std::move(problem);
    f.report.targetProblemIsFinal = final;
    f.job = std::move(job);
    return f;
}

sdk::EventView eventViewOf(const events::Envelope& envelope) {
    const store::Event& event = envelope.event();
    sdk::EventView view;
    view.id = event.id;
    view.type = event.type;
    view.accountId = event.accountId;
    view.createdAt = envelope.createdAtIso();
    view.test = event.test;
    view.dataJson = envelope.dataJson();
    view.envelopeJson = envelope.json();
    return view;
}

// The requests of one attempt, sent one after the other on the sender's I/O threads.
class AttemptExchange : public std::enable_shared_from_this<AttemptExchange> {
public:
    AttemptExchange(PreparedAttempt prepared, HttpSender& sender, std::chrono::milliseconds timeout,
                    core::RepeatingErrorLog& troubles, std::function<void(FinishedAttempt)> done)
        : prepared_(std::move(prepared)),
          sender_(sender),
          timeout_(timeout),
          troubles_(troubles),
          done_(std::move(done)),
          part_(prepared_.firstPart) {}

    void sendPart() {
        const PreparedAttempt& p = prepared_;
        const store::Event& event = p.job.envelope->event();
        const DeliveryHeaders headers{event.type, event.id, p.job.delivery.id, p.attempt};
        const std::int64_t now = core::nowMillis();
        // During a rotation's overlap, with both secrets (newest first); after it, the new one.
        HttpRequest request = signedRequest(p.target->view.target, p.requests[part_], headers,
                                            p.target->signingSecrets.at(now), now / 1000, timeout_);
        sender_.send(std::move(request),
                     [self = shared_from_this()](HttpResponse response) { self->onResponse(std::move(response)); });
    }

private:
    void onResponse(HttpResponse response) {
        const std::string host = prepared_.target->view.target.host;
        // Network-level failures (DNS, refused, TLS, timeouts) by host: a receiver that keeps
        // failing them is worth a line for the operator, not one per attempt. Any HTTP answer
        // means the network part works.
        if (response.status == 0) {
            troubles_.failed("deliveries to " + host, response.error.empty() ? "no response" : response.error);
            return finish(response, {});
        }
        if (troubles_.anyFailing()) troubles_.succeeded("deliveries to " + host);
        const sdk::ResponseDecision decision = interpret(response);
        const bool is2xx = response.status >= 200 && response.status < 300;
        const bool accepted =
            decision.verdict == sdk::Verdict::Success || (decision.verdict == sdk::Verdict::Default && is2xx);
        if (accepted && part_ + 1 < prepared_.requests.size()) {
            ++part_;  // a multi-request rendering continues with its next request
            return sendPart();
        }
        if (accepted) part_ = prepared_.requests.size();
        finish(response, decision);
    }

    sdk::ResponseDecision interpret(const HttpResponse& response) {
        const plugins::LoadedProvider& provider = *prepared_.target->provider;
        const std::string subject = "plugin " + provider.id + " interpret";
        sdk::ResponseDecision decision;
        try {
            sdk::ResponseView view;
            view.status = response.status;
            for (const auto& [name, value] : response.headers) view.headers.push_back({name, value});
            view.bodyPrefix = response.bodyPrefix.substr(0, kResponseBodyLimit);
            decision = provider.provider->interpret(view);
            if (troubles_.anyFailing()) troubles_.succeeded(subject);
        } catch (const std::exception& e) {
            troubles_.failed(subject, std::string("threw: ") + e.what());
            decision.reason = std::string("plugin failed to interpret the response: ") + e.what();
        } catch (...) {
            troubles_.failed(subject, "threw a non-standard exception");
            decision.reason = "plugin failed to interpret the response";
        }
        return decision;
    }

    void finish(const HttpResponse& response, const sdk::ResponseDecision& decision) {
        FinishedAttempt f;
        f.provider = prepared_.target->provider->id;
        f.attempt = prepared_.attempt;
        f.startedAt = prepared_.startedAt;
        f.finishedAt = core::nowMillis();
        const int before = static_cast<int>(prepared_.firstPart);
        f.partsDone = std::max(static_cast<int>(part_), before);
        f.requestsAccepted = std::max(0, static_cast<int>(part_) - before);
        AttemptReport& r = f.report;
        r.stage = AttemptReport::Stage::Sent;
        r.status = response.status;
        r.transportError = response.error;
        r.providerVerdict = decision.verdict;
        r.providerReason = decision.reason;
        r.allPartsAccepted = part_ >= prepared_.requests.size();
        if (response.status == 429 || response.status == 503) {
            r.retryAfter = parseRetryAfter(headerValue(response, "Retry-After"), f.finishedAt);
        }
        if (response.status > 0) {
            f.responseStatus = response.status;
            f.responseBody = response.bodyPrefix.substr(0, kResponseBodyLimit);
        }
        f.job = std::move(prepared_.job);
        done_(std::move(f));
    }

    PreparedAttempt prepared_;
    HttpSender& sender_;
    const std::chrono::milliseconds timeout_;
    core::RepeatingErrorLog& troubles_;
    std::function<void(FinishedAttempt)> done_;
    std::size_t part_;  // the request being sent
};

}  // namespace

Preparation prepare(events::DeliveryJob job, TargetCache& targets, core::RepeatingErrorLog& troubles) {
    const int attempt = job.delivery.attempts + 1;
    const std::int64_t startedAt = core::nowMillis();
    std::shared_ptr<const DeliveryTarget> target;
    try {
        target = targets.get(job.delivery.integrationId);
    } catch (const store::StoreUnavailable&) {
        // The database went away: no attempt was made, so none is recorded (it would use up a
        // retry); the lease expires and the delivery is claimed again.
        return NotAttempted{std::move(job)};
    } catch (const std::exception& e) {
        return finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::TargetUnusable,
                               std::string("cannot load the integration: ") + e.what());
    }
    if (!target) return NotAttempted{std::move(job)};  // deleted meanwhile: its deliveries are cancelled
    if (!target->problem.empty()) {
        FinishedAttempt f = finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::TargetUnusable,
                                            target->problem, target->problemIsFinal);
        if (target->provider) f.provider = target->provider->id;
        return f;
    }
    PreparedAttempt prepared;
    prepared.attempt = attempt;
    prepared.startedAt = startedAt;
    prepared.firstPart = static_cast<std::size_t>(std::max(0, job.delivery.partsDone));
    const std::string plugin = "plugin " + target->provider->id;
    try {
        prepared.requests = target->provider->provider->render(eventViewOf(*job.envelope), target->view);
        if (troubles.anyFailing()) troubles.succeeded(plugin + " render");
    } catch (const std::exception& e) {
        troubles.failed(plugin + " render", std::string("threw: ") + e.what());
        FinishedAttempt f = finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::RenderFailed,
                                            plugin + " failed to render: " + e.what());
        f.provider = target->provider->id;
        return f;
    } catch (...) {
        troubles.failed(plugin + " render", "threw a non-standard exception");
        FinishedAttempt f = finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::RenderFailed,
                                            plugin + " failed to render");
        f.provider = target->provider->id;
        return f;
    }
    if (prepared.requests.empty()) {
        FinishedAttempt f = finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::NothingToSend, "");
        f.provider = target->provider->id;
        return f;
    }
    if (prepared.firstPart >= prepared.requests.size()) {
        // Every request was accepted by earlier attempts (the last outcome was not recorded).
        FinishedAttempt f = finishedWithout(std::move(job), attempt, startedAt, AttemptReport::Stage::Sent, "");
        f.provider = target->provider->id;
        f.report.allPartsAccepted = true;
        f.report.providerVerdict = sdk::Verdict::Success;
        return f;
    }
    prepared.target = std::move(target);
    prepared.job = std::move(job);
    return prepared;
}

void send(PreparedAttempt prepared, HttpSender& sender, std::chrono::milliseconds timeout,
          core::RepeatingErrorLog& troubles, std::function<void(FinishedAttempt)> done) {
    std::make_shared<AttemptExchange>(std::move(prepared), sender, timeout, troubles, std::move(done))->sendPart();
}

}  // namespace smbhub::delivery
