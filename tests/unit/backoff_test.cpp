// Exponential backoff with jitter: doubles from the first delay, never exceeds the cap, and the
// jitter only ever takes off up to half.
#include <gtest/gtest.h>

#include "core/Backoff.h"

namespace smbhub::core {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DoublesUpToTheCap) {
    const std::vector<std::chrono::milliseconds> expected = {250ms, 500ms, 1000ms, 2000ms, 4000ms, 5000ms, 5000ms};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(backoffDelay(250ms, 5s, static_cast<int>(i) + 1, 0.0), expected[i]) << "failure " << i + 1;
    }
    EXPECT_EQ(backoffDelay(250ms, 5s, 1000000, 0.0), 5s) << "no overflow after many failures";
}

TEST(BackoffTest, JitterTakesOffUpToHalf) {
    EXPECT_EQ(backoffDelay(250ms, 5s, 3, 0.999999), 500ms);
    EXPECT_EQ(backoffDelay(250ms, 5s, 3, 0.5), 750ms);
    EXPECT_EQ(backoffDelay(250ms, 1s, 10, 0.5), 750ms);
    for (double unit : {0.0, 0.1, 0.5, 0.9, 0.99}) {
        const auto delay = backoffDelay(250ms, 5s, 6, unit);
        EXPECT_GE(delay, 2500ms);
        EXPECT_LE(delay, 5s);
    }
}

TEST(BackoffTest, AFirstDelayAboveTheCapIsCapped) { EXPECT_EQ(backoffDelay(10s, 5s, 1, 0.0), 5s); }

}  // namespace
}  // namespace smbhub::core
