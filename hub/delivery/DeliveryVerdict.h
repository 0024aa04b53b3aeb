// The one place that decides what an attempt means for its delivery (SPEC §8): succeeded, tried
// again at a time, failed for good, and whether the integration is disabled. A pure function of
// what happened (AttemptReport), where the delivery stood (DeliveryProgress), the retry
// schedule, a random number for the jitter and the time — so every rule (2xx, 3xx, Retry-After,
// a provider's interpretation such as Zapier's 410, an exhausted schedule, a target that can no
// longer be delivered to) is unit-tested without a network, a database or a plugin.
//
// Thread-safety: AttemptReport, DeliveryProgress and DeliveryVerdict are values; decide() is a pure
// function, safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <smbhub/sdk/provider.h>

#include "delivery/AdaptiveConcurrency.h"
#include "delivery/RetrySchedule.h"
#include "store/Statuses.h"

namespace smbhub::delivery {

// What happened in one attempt: how far it got and what the other side said.
struct AttemptReport {
    enum class Stage {
        TargetUnusable,  // the integration cannot be delivered to (provider gone, secrets unreadable…)
        RenderFailed,    // the plugin could not turn the event into requests
        NothingToSend,   // the plugin rendered no request: nothing to deliver
        Sent,            // requests went out; the response (or its absence) is below
    };
    Stage stage = Stage::Sent;
    bool targetProblemIsFinal = false;  // TargetUnusable: retrying cannot help
    std::string problem;                // TargetUnusable / RenderFailed: why

    // Sent: the last request's exchange. status 0 = no response (transportError says why).
    int status = 0;
    std::string transportError;
    std::optional<std::chrono::milliseconds> retryAfter;  // from a 429/503's Retry-After
    sdk::Verdict providerVerdict = sdk::Verdict::Default;
    std::string providerReason;
    bool allPartsAccepted = false;  // every request of the rendering was accepted
};

// Where the delivery stood before the attempt.
struct DeliveryProgress {
    int scheduleIndex = 0;  // retry_schedule entries used so far
};

struct DeliveryVerdict {
    store::AttemptStatus attempt = store::AttemptStatus::Failed;
    store::DeliveryStatus delivery = store::DeliveryStatus::Failed;
    int scheduleIndex = 0;                  // after this attempt
    std::optional<std::int64_t> nextAttemptAt;  // when tried again (Unix ms)
    bool exhausted = false;                 // failed for good: counts toward auto-disable
    std::string disableReason;              // non-empty: disable the integration now
    std::string error;                      // for the attempt's log entry ("" when none)
};

DeliveryVerdict decide(const AttemptReport& report, const DeliveryProgress& progress,
                       const RetrySchedule& schedule, double unitRandom, std::int64_t nowMillis);

// What the attempt says about how much its receiver can take (SPEC §15): slow down after a
// timeout, a connection error, 429, 502, 503 or 504; in time after any other answer; nothing
// when no request reached it.
AdaptiveConcurrency::Answer receiverAnswer(const AttemptReport& report);

}  // namespace smbhub::delivery
