// RepeatingErrorLog: an error that repeats in a loop costs a handful of lines — one when it
// starts, a summary at most once an interval, one when it stops — however often it happens, and
// however often it flaps. Driven by a fake clock.
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>

#include <mutex>
#include <string>
#include <vector>

#include "support/CapturingChannel.h"
#include "core/RepeatingErrorLog.h"

namespace smbhub::core {
namespace {

using namespace std::chrono_literals;

using test::CapturingChannel;

class RepeatingErrorLogTest : public ::testing::Test {
protected:
    RepeatingErrorLogTest() : channel_(new CapturingChannel) {
        logger_ = &Poco::Logger::get(::testing::UnitTest::GetInstance()->current_test_info()->name());
        logger_->setChannel(channel_);
        logger_->setLevel(Poco::Message::PRIO_TRACE);
    }

    RepeatingErrorLog make(RepeatingErrorLog::Options options = {}) {
        return RepeatingErrorLog(*logger_, options, [this] { return now_; });
    }
    std::vector<std::string> lines() const { return channel_->lines(); }

    std::chrono::steady_clock::time_point now_{};
    Poco::AutoPtr<CapturingChannel> channel_;
    Poco::Logger* logger_ = nullptr;
};

TEST_F(RepeatingErrorLogTest, OneLineWhenItStartsFailingAndOneWhenItWorksAgain) {
    RepeatingErrorLog log = make();
    for (int i = 0; i < 1000; ++i) {
        log.failed("database", "connection refused", "7 API requests refused");
        now_ += 50ms;
    }
    EXPECT_TRUE(log.failing("database"));
    log.succeeded("database", "9 API requests refused");
    for (int i = 0; i < 1000; ++i) log.succeeded("database");  // nothing more to say
    EXPECT_FALSE(log.failing("database"));
    EXPECT_EQ(lines(), (std::vector<std::string>{
                           "database failing: connection refused",
                           "database works again after 50s (1000 failed attempts; 9 API requests refused)"}));
}

TEST_F(RepeatingErrorLogTest, WhileItKeepsFailingASummaryAtMostOnceAnInterval) {
    RepeatingErrorLog log = make();
    for (int i = 0; i < 600; ++i) {  // once a second for ten minutes
        log.failed("plugin zapier render", "threw: boom " + std::to_string(i), "context");
        now_ += 1s;
    }
    const auto seen = lines();
    ASSERT_EQ(seen.size(), 10u);  // the first line and one summary a minute
    EXPECT_EQ(seen[0], "plugin zapier render failing: threw: boom 0");
    EXPECT_EQ(seen[1],
              "plugin zapier render still failing after 1m 0s: 60 failed attempts since the last report; context; "
              "last: threw: boom 60");
}

TEST_F(RepeatingErrorLogTest, AnotherOutageSoonAfterTheLastIsLoggedToo) {
    RepeatingErrorLog log = make();
    log.failed("database", "connection refused");
    now_ += 25s;
    log.succeeded("database");
    now_ += 14s;
    log.failed("database", "no answer within 5s");
    now_ += 17s;
    log.succeeded("database");
    EXPECT_EQ(lines(), (std::vector<std::string>{"database failing: connection refused",
                                                 "database works again after 25s (1 failed attempt)",
                                                 "database failing: no answer within 5s",
                                                 "database works again after 17s (1 failed attempt)"}));
}

TEST_F(RepeatingErrorLogTest, FlappingCostsABoundedNumberOfLines) {
    RepeatingErrorLog::Options options;
    options.burst = 3;
    RepeatingErrorLog log = make(options);
    for (int i = 0; i < 600; ++i) {  // down and up every second for ten minutes
        log.failed("deliveries to hooks.example.com", "cannot resolve");
        now_ += 500ms;
        log.succeeded("deliveries to hooks.example.com");
        now_ += 500ms;
    }
    const auto seen = lines();
    // Per minute: three episodes (two lines each) and at most one summary.
    EXPECT_LE(seen.size(), 10u * 7) << "1200 changes of state";
    EXPECT_GE(seen.size(), 6u);
    bool reported = false;
    for (const auto& line : seen) reported = reported || line.find("recoveries since the last report") != std::string::npos;
    EXPECT_TRUE(reported) << "the quiet episodes are counted in a later line";
}

TEST_F(RepeatingErrorLogTest, SubjectsAreIndependentAndBoundedInNumber) {
    RepeatingErrorLog::Options options;
    options.maxSubjects = 10;
    RepeatingErrorLog log = make(options);
    for (int i = 0; i < 20; ++i) {
        log.failed("host" + std::to_string(i), "refused");
        now_ += 1s;
    }
    EXPECT_EQ(lines().size(), 20u);
    EXPECT_TRUE(log.failing("host19"));
    EXPECT_FALSE(log.failing("host0")) << "forgotten: at most 10 are kept";
}

TEST_F(RepeatingErrorLogTest, PhrasesAreTheCallers) {
    RepeatingErrorLog::Options options;
    options.failing = "unavailable";
    options.recovered = "available again";
    RepeatingErrorLog log = make(options);
    log.failed("database", "disk full");
    now_ += 3min + 12s;
    log.succeeded("database");
    EXPECT_EQ(lines(), (std::vector<std::string>{"database unavailable: disk full",
                                                 "database available again after 3m 12s (1 failed attempt)"}));
}

TEST(RepeatingErrorLogDescribeTest, Durations) {
    EXPECT_EQ(RepeatingErrorLog::describe(850ms), "850ms");
    EXPECT_EQ(RepeatingErrorLog::describe(5s), "5s");
    EXPECT_EQ(RepeatingErrorLog::describe(3min + 12s), "3m 12s");
    EXPECT_EQ(RepeatingErrorLog::describe(1h + 5min + 3s), "1h 5m");
    EXPECT_EQ(RepeatingErrorLog::describe(50h), "2d 2h");
}

}  // namespace
}  // namespace smbhub::core
