// DatabaseHealth: while the database is unavailable, a store with a probe refuses operations at
// once and probes instead — spaced by the backoff, never more than one at a time — and lets them
// through again as soon as a probe succeeds; a store without (SQLite) never refuses. Either way
// the outage costs a line when it starts and one when it ends.
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "support/CapturingChannel.h"
#include "store/DatabaseHealth.h"

namespace smbhub::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using test::CapturingChannel;

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

class DatabaseHealthTest : public ::testing::Test {
protected:
    DatabaseHealthTest() : channel_(new CapturingChannel) {
        logger_ = &Poco::Logger::get(std::string("health-") +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
        logger_->setChannel(channel_);
        logger_->setLevel(Poco::Message::PRIO_TRACE);
        options_.firstRetry = 20ms;
        options_.maxRetryUnanswered = 80ms;
        options_.maxRetry = 400ms;
    }

    DatabaseHealth::Options options_;
    Poco::AutoPtr<CapturingChannel> channel_;
    Poco::Logger* logger_ = nullptr;
};

TEST_F(DatabaseHealthTest, WithoutAProbeItReportsButNeverRefuses) {
    DatabaseHealth health(options_, nullptr, *logger_);
    EXPECT_TRUE(health.status().available);
    health.failed("database or disk is full", true);
    EXPECT_FALSE(health.available());
    EXPECT_EQ(health.status().reason, "database or disk is full");
    EXPECT_GT(health.status().since, 0);
    EXPECT_NO_THROW(health.admit()) << "a local file cannot be hammered: every write may find space again";
    for (int i = 0; i < 500; ++i) {
        health.failed("database or disk is full", true);
        health.refused();
    }
    health.succeeded(health.outagesSoFar());
    EXPECT_TRUE(health.available());
    const auto lines = channel_->lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "database unavailable: database or disk is full");
    EXPECT_NE(lines[1].find("database available again after"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("501 failed attempts; 500 API requests refused"), std::string::npos) << lines[1];
}

TEST_F(DatabaseHealthTest, WithAProbeItRefusesUntilAProbeSucceeds) {
    std::atomic<bool> serverUp{false};
    std::atomic<int> concurrent{0};
    std::atomic<int> mostConcurrent{0};
    DatabaseHealth health(
        options_,
        [&] {
            mostConcurrent = std::max(mostConcurrent.load(), ++concurrent);
            std::this_thread::sleep_for(2ms);
            --concurrent;
            return serverUp ? ConnectOutcome{true, true, ""} : ConnectOutcome{false, false, "connection refused"};
        },
        *logger_);
    EXPECT_NO_THROW(health.admit());
    health.failed("connection refused", false);
    EXPECT_THROW(health.admit(), DatabaseOutage);
    try {
        health.admit();
    } catch (const DatabaseOutage& e) {
        EXPECT_NE(std::string(e.what()).find("connection refused"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(eventually([&] { return health.probes() >= 3; }, 10s)) << "it probes while the database is away";
    EXPECT_FALSE(health.available());
    serverUp = true;
    EXPECT_TRUE(eventually([&] { return health.available(); }, 10s)) << "a successful probe ends the outage";
    EXPECT_NO_THROW(health.admit());
    EXPECT_EQ(mostConcurrent.load(), 1) << "one probe at a time";
    const std::int64_t probes = health.probes();
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(health.probes(), probes) << "no probing while the database is available";
}

// Upper bounds only: a loaded machine makes fewer probes, never more.
TEST_F(DatabaseHealthTest, ProbesAreSpacedByTheBackoff) {
    for (const bool reachedServer : {false, true}) {
        DatabaseHealth health(
            options_, [&] { return ConnectOutcome{false, reachedServer, "no"}; }, *logger_);
        health.failed("no", reachedServer);
        std::this_thread::sleep_for(1s);
        const std::int64_t probes = health.probes();
        // Nothing answering: 10–20, 20–40, then 40–80 ms apart (at most ~25 a second). The server
        // answering but failing: doubling to 200–400 ms apart (at most ~8 a second).
        EXPECT_LE(probes, reachedServer ? 10 : 30) << (reachedServer ? "server reached" : "nothing answered");
        EXPECT_GE(probes, 1);
    }
}

TEST_F(DatabaseHealthTest, AnOperationBegunDuringTheOutageEndsItOneBegunBeforeDoesNot) {
    DatabaseHealth health(options_, [] { return ConnectOutcome{false, true, "too many clients"}; }, *logger_);
    const auto beforeTheOutage = health.outagesSoFar();
    health.failed("too many clients", true);
    EXPECT_FALSE(health.available());
    health.succeeded(beforeTheOutage);
    EXPECT_FALSE(health.available()) << "an answer read late says nothing about the server now";
    health.succeeded(health.outagesSoFar());
    EXPECT_TRUE(health.available());
    EXPECT_NO_THROW(health.admit());
    health.failed("too many clients", true);
    health.succeeded(beforeTheOutage);
    EXPECT_FALSE(health.available()) << "nor about a later outage";
    const auto lines = channel_->lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "database unavailable: too many clients");
}

}  // namespace
}  // namespace smbhub::store
