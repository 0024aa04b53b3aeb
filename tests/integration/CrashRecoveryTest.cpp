// "Nothing accepted is ever lost, across crashes and restarts" (SPEC §8): events are published
// without pause while every delivery hangs, the hub is SIGKILLed in the middle of that stream
// (the publisher is still sending when it dies), and after a restart every delivery of every
// event that got a 202 reaches the receiver.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "HubTest.h"
#include "support/Eventually.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

// The publisher keeps publishing until the kill cuts it off, so the kill always lands in the
// middle of the stream (kMaxEvents is only a bound should the kill never come).
constexpr int kMaxEvents = 5000;
constexpr int kKillAfterAccepted = 25;

class CrashRecoveryTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        // Claims left by the killed process expire quickly, so the restarted hub retakes them
        // within the test's patience.
        // The publisher is not held back by the per-account rate limit.
        return {{"delivery.timeout_ms", "2000"},
                {"delivery.lease", R"("3s")"},
                {"api.rate_limit_burst", "100000"},
                {"api.rate_limit_per_second", "100000"}};
    }
};

TEST_F(CrashRecoveryTest, EveryAcceptedEventIsDeliveredAfterAKillAndRestart) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/crash");
    receiver().setBehaviour("/hooks/crash", ReceiverBehaviour::hangUntilReleased());

    std::mutex acceptedMutex;
    std::set<std::string> acceptedDeliveries;
    std::atomic<int> accepted{0};
    std::atomic<bool> killing{false};
    std::atomic<bool> cutOff{false};  // a publish failed after the kill began
    const ApiClient client = api();
    std::thread publisher([&] {
        for (int i = 0; i < kMaxEvents; ++i) {
            const ApiResponse response = client.post(
                "/api/events", R"({"type":"lead.created","data":)" + leadsData(1) + "}",
                account.apiKey);
            if (response.status != 202) {
                // Refused or cut off by the kill: not promised, and the end of the stream.
                if (killing) {
                    cutOff = true;
                    return;
                }
                continue;
            }
            std::lock_guard lock(acceptedMutex);
            for (const auto& delivery : jsonArray(response.json, "deliveries")) {
                acceptedDeliveries.insert(jsonString(delivery, "deliveryId"));
            }
            ++accepted;
        }
    });
    const bool enough = eventually([&] { return accepted >= kKillAfterAccepted; }, 60s, 5ms);
    killing = true;
    hub().kill();
    publisher.join();
    ASSERT_TRUE(enough) << "only " << accepted.load() << " events accepted before the kill";
    ASSERT_TRUE(cutOff) << "the publisher ran out of events before the kill: it did not land "
                           "in the middle of publishing";

    receiver().setBehaviour("/hooks/crash", ReceiverBehaviour::status(200));
    receiver().releaseHanging();
    const auto recoveryStarted = std::chrono::steady_clock::now();
    hub().start();

    const auto deliveredSinceRestart = [&] {
        std::set<std::string> delivered;
        for (const auto& request : receiver().requests("/hooks/crash")) {
            if (request.arrivedAt >= recoveryStarted) {
                delivered.insert(request.header("X-SMB-Delivery"));
            }
        }
        return delivered;
    };
    std::set<std::string> expected;
    {
        std::lock_guard lock(acceptedMutex);
        expected = acceptedDeliveries;
    }
    ASSERT_GE(expected.size(), static_cast<std::size_t>(kKillAfterAccepted));
    const bool allDelivered = eventually(
        [&] {
            const auto delivered = deliveredSinceRestart();
            return std::includes(delivered.begin(), delivered.end(), expected.begin(),
                                 expected.end());
        },
        30s, 100ms);

    const auto delivered = deliveredSinceRestart();
    std::size_t arrived = 0;
    std::string missing;
    for (const auto& id : expected) {
        if (delivered.count(id)) ++arrived;
        else missing += id + " ";
    }
    EXPECT_TRUE(allDelivered) << arrived << " of " << expected.size()
                              << " accepted deliveries arrived after the restart; missing: "
                              << missing;
}

}  // namespace
}  // namespace smbhub::test
