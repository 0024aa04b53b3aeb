// ConnectionWatchdog: a call blocked on a socket returns once the deadline passes (the socket is
// shut down), and a watch that ended in time leaves the socket alone.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "store/ConnectionWatchdog.h"

namespace smbhub::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class SocketPair {
public:
    SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
    ~SocketPair() {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    int near() const { return fds_[0]; }
    int far() const { return fds_[1]; }

private:
    int fds_[2] = {-1, -1};
};

TEST(ConnectionWatchdogTest, ABlockedReadReturnsWhenTheDeadlinePasses) {
    ConnectionWatchdog dog;
    SocketPair pair;
    const int watched = ::dup(pair.near());  // as the pool does: a descriptor of the watch's own
    auto reader = std::async(std::launch::async, [&] {
        char byte = 0;
        return ::recv(pair.near(), &byte, 1, 0);  // the peer never writes
    });
    const auto started = Clock::now();
    auto watch = dog.watch(watched, Clock::now() + 200ms);
    ASSERT_EQ(reader.wait_for(30s), std::future_status::ready) << "the read is still blocked";
    EXPECT_EQ(reader.get(), 0) << "end of stream: the socket was shut down";
    EXPECT_GE(Clock::now() - started, 200ms);
    EXPECT_TRUE(watch->expired());
    watch.reset();
    ::close(watched);
}

TEST(ConnectionWatchdogTest, AWatchThatEndedInTimeLeavesTheSocketAlone) {
    ConnectionWatchdog dog;
    SocketPair pair;
    { auto watch = dog.watch(pair.near(), Clock::now() + 100ms); }
    auto later = dog.watch(pair.far(), Clock::now() + 1h);  // the watchdog keeps running
    std::this_thread::sleep_for(300ms);
    ASSERT_EQ(::send(pair.far(), "x", 1, 0), 1);
    char byte = 0;
    EXPECT_EQ(::recv(pair.near(), &byte, 1, 0), 1);
    EXPECT_FALSE(later->expired());
}

TEST(ConnectionWatchdogTest, EarlierDeadlinesAreServedFirst) {
    ConnectionWatchdog dog;
    SocketPair slow;
    SocketPair fast;
    auto late = dog.watch(slow.near(), Clock::now() + 1h);
    auto soon = dog.watch(fast.near(), Clock::now() + 100ms);
    char byte = 0;
    EXPECT_EQ(::recv(fast.near(), &byte, 1, 0), 0);
    EXPECT_TRUE(soon->expired());
    EXPECT_FALSE(late->expired());
}

}  // namespace
}  // namespace smbhub::store
