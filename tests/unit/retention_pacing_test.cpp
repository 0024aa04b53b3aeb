// Retention's pacing while it is behind: after a full batch it pauses long enough that deleting
// takes at most RetentionJob::kShareOfTheDatabasePercent of the database's time.
#include <gtest/gtest.h>

#include <chrono>

#include "retention/RetentionJob.h"

namespace smbhub::retention {
namespace {

using namespace std::chrono_literals;

TEST(RetentionPacing, AFullBatchIsFollowedByNineteenTimesItsDurationAtAFivePercentShare) {
    static_assert(RetentionJob::kShareOfTheDatabasePercent == 5);
    EXPECT_EQ(RetentionJob::pauseAfter(10ms), 190ms);
    EXPECT_EQ(RetentionJob::pauseAfter(100ms), 1900ms);
}

TEST(RetentionPacing, TheShareOfTheDatabaseTimeStaysWithinItsBound) {
    for (const std::chrono::milliseconds batch : {2ms, 7ms, 33ms, 250ms, 4000ms}) {
        const auto pause = RetentionJob::pauseAfter(batch);
        const double share = static_cast<double>(batch.count()) / static_cast<double>((batch + pause).count());
        EXPECT_LE(share, RetentionJob::kShareOfTheDatabasePercent / 100.0) << batch.count() << " ms";
    }
}

TEST(RetentionPacing, AQuickBatchStillLeavesTheShortestPause) {
    EXPECT_EQ(RetentionJob::pauseAfter(0ns), RetentionJob::kPauseBetweenBatches);
    EXPECT_EQ(RetentionJob::pauseAfter(300us), RetentionJob::kPauseBetweenBatches);
}

TEST(RetentionPacing, APartMillisecondIsRoundedUpNotLost) {
    EXPECT_EQ(RetentionJob::pauseAfter(std::chrono::microseconds(10'100)), 192ms);  // 191.9 ms
}

}  // namespace
}  // namespace smbhub::retention
