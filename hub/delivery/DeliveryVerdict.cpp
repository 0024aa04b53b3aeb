#include "delivery/DeliveryVerdict.h"

namespace smbhub::delivery {
namespace {

using sdk::Verdict;
using store::AttemptStatus;
using store::DeliveryStatus;

DeliveryVerdict succeeded(std::string note, int scheduleIndex) {
    DeliveryVerdict v;
    v.attempt = AttemptStatus::Succeeded;
    v.delivery = DeliveryStatus::Succeeded;
    v.scheduleIndex = scheduleIndex;
    v.error = std::move(note);
    return v;
}

// A failure: tried again on the schedule (no sooner than a Retry-After), or failed for good
// when the schedule is spent or retrying cannot help.
DeliveryVerdict failed(std::string error, bool permanent, const DeliveryProgress& progress,
                       std::optional<std::chrono::milliseconds> retryAfter, const RetrySchedule& schedule,
                       double unitRandom, std::int64_t now) {
    DeliveryVerdict v;
    v.error = std::move(error);
    v.scheduleIndex = progress.scheduleIndex;
    const auto delay = permanent ? std::nullopt : schedule.nextDelay(progress.scheduleIndex, unitRandom, retryAfter);
    if (delay) {
        v.attempt = AttemptStatus::Pending;
        v.delivery = DeliveryStatus::Pending;
        v.scheduleIndex = progress.scheduleIndex + 1;
        v.nextAttemptAt = now + delay->count();
    } else {
        v.attempt = AttemptStatus::Failed;
        v.delivery = DeliveryStatus::Failed;
        v.exhausted = true;
    }
    return v;
}

std::string sentError(const AttemptReport& r) {
    if (!r.providerReason.empty()) return r.providerReason;
    if (!r.transportError.empty()) return r.transportError;  // e.g. the body was cut short
    if (r.status == 0) return "no response";
    if (r.status >= 300 && r.status < 400) {
        return "redirects are not followed (HTTP " + std::to_string(r.status) + ")";
    }
    return "";
}

}  // namespace

DeliveryVerdict decide(const AttemptReport& r, const DeliveryProgress& progress, const RetrySchedule& schedule,
                       double unitRandom, std::int64_t now) {
    switch (r.stage) {
        case AttemptReport::Stage::TargetUnusable:
            return failed(r.problem, r.targetProblemIsFinal, progress, std::nullopt, schedule, unitRandom, now);
        case AttemptReport::Stage::RenderFailed:
            return failed(r.problem, false, progress, std::nullopt, schedule, unitRandom, now);
        case AttemptReport::Stage::NothingToSend:
            return succeeded("the provider had nothing to send", progress.scheduleIndex);
        case AttemptReport::Stage::Sent:
            break;
    }
    const bool is2xx = r.status >= 200 && r.status < 300;
    const bool accepted = r.providerVerdict == Verdict::Success || (r.providerVerdict == Verdict::Default && is2xx);
    if (accepted && r.allPartsAccepted) {
        // A success can still carry a note for the log (e.g. the body was cut short after a 2xx).
        return succeeded(r.providerReason.empty() ? r.transportError : r.providerReason, progress.scheduleIndex);
    }

    const std::string error = sentError(r);
    if (r.providerVerdict == Verdict::DisableIntegration) {
        DeliveryVerdict v = failed(error, true, progress, std::nullopt, schedule, unitRandom, now);
        v.disableReason = r.providerReason.empty()
                              ? "the receiver asked for no more deliveries (HTTP " + std::to_string(r.status) + ")"
                              : r.providerReason;
        return v;
    }
    const bool permanent = r.providerVerdict == Verdict::FailPermanently;
    // Retry-After is honoured on 429 and 503 (SPEC §8).
    const auto retryAfter = (r.status == 429 || r.status == 503) ? r.retryAfter : std::nullopt;
    return failed(error, permanent, progress, retryAfter, schedule, unitRandom, now);
}

AdaptiveConcurrency::Answer receiverAnswer(const AttemptReport& r) {
    using Answer = AdaptiveConcurrency::Answer;
    if (r.stage != AttemptReport::Stage::Sent) return Answer::Neutral;
    switch (r.status) {
        case 0:    // no answer: timed out, refused, reset, TLS or DNS failure
        case 429:  // Too Many Requests
        case 502:  // Bad Gateway: what a proxy says when the application behind it is overwhelmed
        case 503:  // Service Unavailable
        case 504:  // Gateway Timeout
            return Answer::SlowDown;
        default:
            return Answer::InTime;
    }
}

}  // namespace smbhub::delivery
