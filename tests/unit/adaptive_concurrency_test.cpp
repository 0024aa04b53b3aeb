// The adaptive window of requests kept open to one receiver (SPEC §15): additive increase while
// answers come in time, halving on trouble — and, against a simulated receiver that serves four
// requests at once and stalls beyond, few requests ever stall, where a fixed window of 128 keeps
// about 124 stalled at any time (one request in six, each of which times out and is retried).
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <iostream>
#include <map>
#include <vector>

#include "delivery/AdaptiveConcurrency.h"

namespace smbhub::delivery {
namespace {

using Answer = AdaptiveConcurrency::Answer;

AdaptiveConcurrency window(double initial = 4, double ceiling = 128) { return AdaptiveConcurrency({initial, ceiling}); }

// Fills the window, then answers every request in order.
void fullRound(AdaptiveConcurrency& w, Answer answer = Answer::InTime) {
    std::vector<std::uint64_t> sent;
    while (!w.full()) sent.push_back(w.started());
    for (auto r : sent) w.answered(r, answer);
}

TEST(AdaptiveConcurrency, StartsSmallAndGrowsByHalfWhileEveryRoundComesBackInTime) {
    AdaptiveConcurrency w = window();
    EXPECT_EQ(w.limit(), 4);
    std::vector<int> limits;
    for (int round = 0; round < 12; ++round) {
        fullRound(w);
        limits.push_back(w.limit());
    }
    EXPECT_EQ(limits, (std::vector<int>{6, 9, 13, 20, 30, 45, 68, 102, 128, 128, 128, 128}));
}

TEST(AdaptiveConcurrency, AWindowThatIsNotUsedDoesNotGrow) {
    AdaptiveConcurrency w = window();
    for (int i = 0; i < 100; ++i) w.answered(w.started(), Answer::InTime);  // one at a time
    EXPECT_EQ(w.limit(), 4);
}

TEST(AdaptiveConcurrency, TroubleHalvesItOncePerRoundThenItGrowsByOne) {
    AdaptiveConcurrency w = window(16);
    std::vector<std::uint64_t> sent;
    while (!w.full()) sent.push_back(w.started());
    // Every request of the round times out: one decrease, not sixteen.
    for (auto r : sent) w.answered(r, Answer::SlowDown);
    EXPECT_EQ(w.limit(), 8);
    fullRound(w, Answer::SlowDown);
    EXPECT_EQ(w.limit(), 4) << "a later round's trouble halves it again";
    fullRound(w);
    EXPECT_EQ(w.limit(), 5) << "after trouble it grows by one per round";
    fullRound(w);
    EXPECT_EQ(w.limit(), 6);
}

TEST(AdaptiveConcurrency, NeverBelowOneNorAboveItsCeiling) {
    AdaptiveConcurrency w = window(4, 10);
    for (int i = 0; i < 10; ++i) fullRound(w, Answer::SlowDown);
    EXPECT_EQ(w.limit(), 1);
    for (int i = 0; i < 50; ++i) fullRound(w);
    EXPECT_EQ(w.limit(), 10);
}

TEST(AdaptiveConcurrency, AnUnansweredRequestHoldsGrowthBackWhateverComesAfterIt) {
    AdaptiveConcurrency w = window();
    const auto stalled = w.started();
    for (int i = 0; i < 50; ++i) {
        std::vector<std::uint64_t> sent;
        while (!w.full()) sent.push_back(w.started());
        for (auto r : sent) w.answered(r, Answer::InTime);
    }
    EXPECT_EQ(w.limit(), 4) << "answers after the stalled request do not make the window grow";
    w.answered(stalled, Answer::SlowDown);
    EXPECT_EQ(w.limit(), 2);
}

TEST(AdaptiveConcurrency, NeutralAnswersNeitherGrowNorShrinkIt) {
    AdaptiveConcurrency w = window();
    for (int i = 0; i < 5; ++i) fullRound(w, Answer::Neutral);
    EXPECT_EQ(w.limit(), 4);
    EXPECT_EQ(w.outstanding(), 0);
}

TEST(AdaptiveConcurrency, AnAnswerCountsOnce) {
    AdaptiveConcurrency w = window(8);
    const auto r = w.started();
    w.answered(r, Answer::SlowDown);
    w.answered(r, Answer::SlowDown);
    EXPECT_EQ(w.limit(), 4);
}

// A receiver that serves `capacity` requests at once, each for `service` ticks, and leaves any
// request beyond them unanswered until the sender gives up after `timeout` ticks. The sender
// keeps its window full from an endless backlog. Returns the share of requests that stalled.
struct Simulation {
    int sent = 0;
    int stalled = 0;
    double averageLimit = 0;
};

template <typename Limit>
Simulation simulate(Limit limitOf, AdaptiveConcurrency& w, int capacity, int service, int timeout, int ticks) {
    Simulation out;
    std::map<int, std::vector<std::pair<std::uint64_t, Answer>>> answersAt;  // tick -> answers
    int serving = 0;
    std::map<int, int> freedAt;  // tick -> workers freed
    long long limitSum = 0;
    for (int t = 0; t < ticks; ++t) {
        serving -= freedAt[t];
        for (auto [request, answer] : answersAt[t]) w.answered(request, answer);
        while (w.outstanding() < limitOf(w)) {
            const auto request = w.started();
            ++out.sent;
            if (serving < capacity) {
                ++serving;
                freedAt[t + service] += 1;
                answersAt[t + service].push_back({request, Answer::InTime});
            } else {
                ++out.stalled;
                answersAt[t + timeout].push_back({request, Answer::SlowDown});
            }
        }
        limitSum += w.limit();
    }
    out.averageLimit = static_cast<double>(limitSum) / ticks;
    return out;
}

TEST(AdaptiveConcurrency, AgainstAReceiverThatStallsBeyondFourFewRequestsEverStall) {
    // Ticks of 10 ms: 20 ms per request, a 3 s timeout, ten simulated minutes.
    AdaptiveConcurrency adaptive = window();
    const Simulation polite =
        simulate([](const AdaptiveConcurrency& w) { return w.limit(); }, adaptive, 4, 2, 300, 60'000);
    AdaptiveConcurrency fixed = window(128);
    const Simulation flooding = simulate([](const AdaptiveConcurrency&) { return 128; }, fixed, 4, 2, 300, 60'000);

    std::cout << "adaptive: " << polite.stalled << " of " << polite.sent << " stalled, average window "
              << polite.averageLimit << "; fixed 128: " << flooding.stalled << " of " << flooding.sent << "\n";
    EXPECT_GT(polite.sent, 50'000);
    EXPECT_LT(static_cast<double>(polite.stalled) / polite.sent, 0.01)
        << polite.stalled << " of " << polite.sent << " requests stalled";
    EXPECT_GT(polite.averageLimit, 2.0);
    EXPECT_LT(polite.averageLimit, 8.0);
    EXPECT_GT(static_cast<double>(flooding.stalled) / flooding.sent, 0.1)
        << "a fixed window of 128: " << flooding.stalled << " of " << flooding.sent << " stalled";
}

}  // namespace
}  // namespace smbhub::delivery
