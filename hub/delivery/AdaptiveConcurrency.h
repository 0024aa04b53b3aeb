// How many requests the hub keeps open to one receiver at once, learnt from how it answers
// (SPEC §15, "politeness"): additive increase, multiplicative decrease, as TCP's congestion
// control adapts to a network path.
//
// The window starts small (4), and grows while answers come in time: once every request sent
// before the last change has been answered without a sign of trouble, and the window was
// actually used to the full, it grows — by half while no trouble was ever seen (slow start),
// then by one. A timeout, a connection error, 429, 502, 503 or 504 halves it (never below one),
// once per round: answers to requests sent before that decrease do not halve it again. A
// request that is still unanswered holds growth back, whatever came back after it: a receiver
// that stalls beyond a few requests at once shows it exactly so, long before the stalled request
// times out.
//
// A pure state machine over request numbers (no clock, no threads): unit-tested on its own and
// driven by delivery/IntegrationPacing. Not thread-safe; its owner locks.
#pragma once

#include <cstdint>
#include <set>

namespace smbhub::delivery {

class AdaptiveConcurrency {
public:
    struct Options {
        double initial = 4;
        double ceiling = 128;  // delivery.max_in_flight_per_integration
    };
    // What an answer says about the receiver.
    enum class Answer {
        InTime,    // it answered (any status but the ones below)
        SlowDown,  // timeout, connection error, 429, 502, 503, 504
        Neutral,   // nothing reached it (the plugin failed, the target was unusable)
    };

    explicit AdaptiveConcurrency(Options options);

    // Requests that may be outstanding at once now (at least 1).
    int limit() const;
    int outstanding() const { return static_cast<int>(outstanding_.size()); }
    bool full() const { return outstanding() >= limit(); }
    double window() const { return window_; }

    // A request starts (the caller checked full()); its number goes back with its answer.
    std::uint64_t started();
    void answered(std::uint64_t request, Answer answer);

private:
    void grow();

    double window_;
    const double ceiling_;
    double slowStartUntil_;          // the window grows by half below this, by one from it
    std::uint64_t next_ = 0;         // the next request's number
    std::uint64_t roundStart_ = 0;   // requests from here on were sent at the current window
    std::uint64_t slowDownFrom_ = 0;  // only answers to requests from here on may halve it
    int peak_ = 0;                   // most requests outstanding at once since roundStart_
    std::set<std::uint64_t> outstanding_;
};

}  // namespace smbhub::delivery
