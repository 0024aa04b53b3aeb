// Whether one integration may be sent another request now, and if not, when to ask again
// (SPEC §15, "politeness"). Three rules, all per integration and per process:
//
//  - its adaptive window (delivery/AdaptiveConcurrency): how many requests may be unanswered;
//  - a pause: a 429 or 503 with Retry-After stops every request to it until then, not only the
//    retry of the delivery that got it;
//  - its rateLimitPerSecond, a token bucket holding a tenth of a second's worth (at least one
//    request), so that requests are spread rather than sent in bursts. An attempt that sends
//    several requests (one per Clay row) takes one token to start and the others afterwards,
//    running the bucket into debt that later requests wait off.
//
// Until the integration's settings are known (configure(), called once its target is loaded),
// only one request at a time is let through, so that a rate limit is never overrun while it is
// being learnt.
//
// A pure function of the times it is given (Unix ms); unit-tested on its own. Not thread-safe:
// delivery/InFlightLimits keeps one per integration under its lock.
#pragma once

#include <cstdint>
#include <optional>

#include "delivery/AdaptiveConcurrency.h"

namespace smbhub::delivery {

class IntegrationPacing {
public:
    using Answer = AdaptiveConcurrency::Answer;

    explicit IntegrationPacing(AdaptiveConcurrency::Options window);

    struct Admission {
        bool admitted = false;
        std::uint64_t request = 0;  // admitted: hand back to answered()
        // Refused: when asking again may succeed (a pause's end, the next token); 0 when only
        // an answer from the receiver can make room.
        std::int64_t notBefore = 0;
    };
    Admission admit(std::int64_t now);

    // The request's answer; `pauseUntil` when it carried a Retry-After (429/503).
    void answered(std::uint64_t request, Answer answer, std::optional<std::int64_t> pauseUntil);

    // The integration's settings, as its target was (re)loaded: 0 = no rate limit.
    void configure(int rateLimitPerSecond, std::int64_t now);
    // `requests` more requests than the one admit() counted went out (a multi-request attempt).
    void charge(int requests, std::int64_t now);

    const AdaptiveConcurrency& window() const { return window_; }
    std::int64_t pausedUntil() const { return pausedUntil_; }
    bool configured() const { return configured_; }
    // Nothing outstanding, no pause or debt to remember at `now`: safe to forget.
    bool idle(std::int64_t now) const;

private:
    void refill(std::int64_t now);

    AdaptiveConcurrency window_;
    std::int64_t pausedUntil_ = 0;
    bool configured_ = false;
    int admittedUnconfigured_ = 0;  // requests let through before configure()
    int ratePerSecond_ = 0;  // 0: none
    double capacity_ = 0;
    double tokens_ = 0;
    std::int64_t refilledAt_ = 0;
};

}  // namespace smbhub::delivery
