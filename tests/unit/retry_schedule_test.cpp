#include <gtest/gtest.h>

#include "delivery/RetrySchedule.h"

namespace smbhub::delivery {
namespace {

using namespace std::chrono_literals;

TEST(RetrySchedule, WalksTheScheduleThenStops) {
    RetrySchedule schedule({5s, 30s, 2min}, 0.0);
    EXPECT_EQ(schedule.nextDelay(0, 0.5), 5s);
    EXPECT_EQ(schedule.nextDelay(1, 0.5), 30s);
    EXPECT_EQ(schedule.nextDelay(2, 0.5), 2min);
    EXPECT_EQ(schedule.nextDelay(3, 0.5), std::nullopt);
}

TEST(RetrySchedule, JitterStaysWithinItsFraction) {
    RetrySchedule schedule({10s}, 0.2);
    EXPECT_EQ(schedule.nextDelay(0, 0.0), 8s);
    EXPECT_EQ(schedule.nextDelay(0, 0.5), 10s);
    EXPECT_LE(*schedule.nextDelay(0, 0.999999), 12s);
    EXPECT_GT(*schedule.nextDelay(0, 0.999999), 11900ms);
}

TEST(RetrySchedule, RetryAfterIsAFloor) {
    RetrySchedule schedule({1s}, 0.0);
    EXPECT_EQ(schedule.nextDelay(0, 0.5, 30s), 30s);
    EXPECT_EQ(schedule.nextDelay(0, 0.5, 100ms), 1s);
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
    EXPECT_EQ(parseRetryAfter("120", 0), 120s);
    EXPECT_EQ(parseRetryAfter(" 3 ", 0), 3s);
    EXPECT_EQ(parseRetryAfter("99999999", 0), std::chrono::hours(24)) << "capped at a day";
    // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s
    EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000 - 5000), 5s);
    EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000 + 5000), 0s);
    EXPECT_EQ(parseRetryAfter("", 0), std::nullopt);
    EXPECT_EQ(parseRetryAfter("soon", 0), std::nullopt);
    EXPECT_EQ(parseRetryAfter("-1", 0), std::nullopt);
}

}  // namespace
}  // namespace smbhub::delivery
