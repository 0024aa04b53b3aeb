// Pacing one integration (SPEC §15): its adaptive window, a Retry-After pause of every request,
// its rate limit spreading requests — and what InFlightLimits makes of them for the engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "delivery/InFlightLimits.h"
#include "delivery/IntegrationPacing.h"

namespace smbhub::delivery {
namespace {

using Answer = IntegrationPacing::Answer;

IntegrationPacing pacing(int rate = 0) {
    IntegrationPacing p({4, 128});
    p.configure(rate, 0);
    return p;
}

TEST(IntegrationPacing, UntilItsSettingsAreKnownOneRequestAtATime) {
    IntegrationPacing p({4, 128});
    const auto first = p.admit(0);
    ASSERT_TRUE(first.admitted);
    EXPECT_FALSE(p.admit(0).admitted);
    p.configure(0, 0);
    EXPECT_TRUE(p.admit(0).admitted);
}

TEST(IntegrationPacing, ItsWindowLimitsRequestsInFlight) {
    IntegrationPacing p = pacing();
    std::vector<std::uint64_t> open;
    for (int i = 0; i < 4; ++i) open.push_back(p.admit(0).request);
    const auto refused = p.admit(0);
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.notBefore, 0) << "only an answer makes room";
    p.answered(open[0], Answer::InTime, std::nullopt);
    EXPECT_TRUE(p.admit(0).admitted);
}

TEST(IntegrationPacing, RetryAfterPausesEveryRequestUntilThen) {
    IntegrationPacing p = pacing();
    const auto a = p.admit(1000);
    const auto b = p.admit(1000);
    p.answered(a.request, Answer::SlowDown, 3000);  // a 429 with Retry-After: 2
    for (std::int64_t t : {1000, 2000, 2999}) {
        const auto refused = p.admit(t);
        EXPECT_FALSE(refused.admitted) << t;
        EXPECT_EQ(refused.notBefore, 3000);
    }
    p.answered(b.request, Answer::InTime, std::nullopt);
    EXPECT_TRUE(p.admit(3000).admitted);
    // A shorter Retry-After later does not cut a pause short.
    IntegrationPacing q = pacing();
    q.answered(q.admit(0).request, Answer::SlowDown, 5000);
    q.answered(q.admit(6000).request, Answer::SlowDown, 6500);
    EXPECT_FALSE(q.admit(6100).admitted);
}

TEST(IntegrationPacing, TenPerSecondSpreadsAHundredRequestsOverNineAndAHalfSeconds) {
    IntegrationPacing p({4, 128});
    // The first request makes the settings known (as the engine does after loading the target).
    std::int64_t t = 0;
    auto a = p.admit(t);
    ASSERT_TRUE(a.admitted);
    p.configure(10, t);
    p.answered(a.request, Answer::InTime, std::nullopt);
    std::vector<std::int64_t> sentAt = {t};
    while (sentAt.size() < 100) {
        a = p.admit(t);
        if (!a.admitted) {
            ASSERT_GT(a.notBefore, t);
            t = a.notBefore;
            continue;
        }
        sentAt.push_back(t);
        p.answered(a.request, Answer::InTime, std::nullopt);
    }
    EXPECT_GE(sentAt.back() - sentAt.front(), 9900);
    for (std::size_t i = 1; i < sentAt.size(); ++i) EXPECT_GE(sentAt[i] - sentAt[i - 1], 100) << i;
}

TEST(IntegrationPacing, ExtraRequestsOfAnAttemptAreWaitedOffAfterwards) {
    IntegrationPacing p = pacing(10);
    const auto a = p.admit(0);
    ASSERT_TRUE(a.admitted);
    p.charge(4, 0);  // five rows in one attempt
    p.answered(a.request, Answer::InTime, std::nullopt);
    const auto refused = p.admit(0);
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.notBefore, 500);
    EXPECT_FALSE(p.admit(499).admitted);
    EXPECT_TRUE(p.admit(500).admitted);
}

TEST(IntegrationPacing, AFastLimitAllowsATenthOfASecondAtOnce) {
    IntegrationPacing p = pacing(1000);
    int admitted = 0;
    std::vector<std::uint64_t> open;
    while (true) {
        const auto a = p.admit(0);
        if (!a.admitted) break;
        ++admitted;
        p.answered(a.request, Answer::InTime, std::nullopt);
    }
    EXPECT_EQ(admitted, 100);
}

TEST(IntegrationPacing, ALimitCanBeChangedAndRemoved) {
    IntegrationPacing p = pacing(1);
    p.answered(p.admit(0).request, Answer::InTime, std::nullopt);
    EXPECT_FALSE(p.admit(10).admitted);
    p.configure(0, 10);
    EXPECT_TRUE(p.admit(10).admitted);
}

TEST(IntegrationPacing, IdleOnceNothingIsOpenPausedOrOwed) {
    IntegrationPacing p = pacing(10);
    const auto a = p.admit(0);
    EXPECT_FALSE(p.idle(0));
    p.charge(10, 0);
    p.answered(a.request, Answer::SlowDown, 2000);
    EXPECT_FALSE(p.idle(1500)) << "paused";
    EXPECT_TRUE(p.idle(2000));
}

TEST(InFlightLimits, SlotsAreHeldUntilReleasedAndPacingUntilAnswered) {
    InFlightLimits limits(3, 2, 4);
    EXPECT_TRUE(limits.configure("int_a", 0, 0)) << "the first time: it may take more than one now";
    EXPECT_FALSE(limits.configure("int_a", 0, 0));
    auto a1 = limits.tryAcquire("int_a", 0);
    auto a2 = limits.tryAcquire("int_a", 0);
    ASSERT_TRUE(a1.ticket && a2.ticket);
    EXPECT_FALSE(limits.tryAcquire("int_a", 0).ticket) << "two slots per integration";
    limits.answered(*a1.ticket, Answer::InTime, std::nullopt);
    EXPECT_FALSE(limits.tryAcquire("int_a", 0).ticket) << "answered, but not yet recorded";
    limits.release("int_a");
    EXPECT_TRUE(limits.tryAcquire("int_a", 0).ticket);
    EXPECT_TRUE(limits.tryAcquire("int_b", 0).ticket);
    EXPECT_FALSE(limits.tryAcquire("int_c", 0).ticket) << "three slots in all";
    EXPECT_EQ(limits.free(), 0);
}

TEST(InFlightLimits, PausedAndFullIntegrationsAreNotWorthClaimingFor) {
    InFlightLimits limits(100, 100, 2);
    for (const char* id : {"int_paused", "int_full", "int_free"}) limits.configure(id, 0, 0);
    const auto paused = limits.tryAcquire("int_paused", 0);
    limits.answered(*paused.ticket, Answer::SlowDown, 5000);
    limits.release("int_paused");
    limits.tryAcquire("int_full", 0);
    limits.tryAcquire("int_full", 0);
    limits.tryAcquire("int_free", 0);
    auto saturated = limits.saturated(1000);
    std::sort(saturated.begin(), saturated.end());
    EXPECT_EQ(saturated, (std::vector<std::string>{"int_full", "int_paused"}));
    EXPECT_EQ(limits.tryAcquire("int_paused", 1000).notBefore, 5000);
    EXPECT_EQ(limits.saturated(5000), (std::vector<std::string>{"int_full"}));
}

TEST(InFlightLimits, AnAnswerSaysWhetherItMadeRoomInAFullWindow) {
    InFlightLimits limits(100, 100, 2);
    limits.configure("int_a", 0, 0);
    const auto a = limits.tryAcquire("int_a", 0);
    const auto b = limits.tryAcquire("int_a", 0);
    EXPECT_TRUE(limits.answered(*a.ticket, Answer::InTime, std::nullopt));
    EXPECT_FALSE(limits.answered(*b.ticket, Answer::InTime, std::nullopt));
}

}  // namespace
}  // namespace smbhub::delivery
