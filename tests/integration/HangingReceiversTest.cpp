// "Slow or hanging receivers never stall deliveries to other integrations" (SPEC §8), with the
// in-flight limits low enough to bind: at most 16 requests outstanding, at most 4 per
// integration. All integrations share one host and port, as many Zapier or Make hooks of one
// account would.
//
// Four integrations whose endpoint hangs take the 16 slots, 4 each, however many deliveries
// they have; nothing more goes out, not even to a healthy integration. A backlog of 288 more
// deliveries for three of them waits its turn. When the fourth one's requests finish, its 4
// slots must go to the healthy integration at once: integrations at their limit are skipped
// when due deliveries are claimed. (Were they claimed and put back instead, each claim of 4
// would take the oldest of the backlog again and the healthy delivery would wait some 72 polls
// of 250 ms.)
#include <chrono>
#include <thread>

#include "HubTest.h"
#include "support/Eventually.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxInFlight = 16;
constexpr std::size_t kPerIntegration = 4;
constexpr std::size_t kBacklogEvents = 96;  // to each of three hanging integrations

class HangingReceiversTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        // Hanging requests outlast the test: only the receiver frees a slot.
        return {{"delivery.timeout_ms", "30000"},
                {"delivery.max_in_flight", std::to_string(kMaxInFlight)},
                {"delivery.max_in_flight_per_integration", std::to_string(kPerIntegration)},
                {"api.rate_limit_burst", "100000"},
                {"api.rate_limit_per_second", "100000"}};
    }

    std::size_t arrived(const std::vector<std::string>& paths) {
        std::size_t total = 0;
        for (const auto& path : paths) total += receiver().count(path);
        return total;
    }

    void publishLeads(const TestAccount& account, std::size_t events) {
        for (std::size_t i = 0; i < events; ++i) {
            const ApiResponse published = publish(account, "lead.created", leadsData(1));
            ASSERT_EQ(published.status, 202) << published.describe();
            ASSERT_EQ(jsonSize(published.json, "deliveries"), 3u) << published.describe();
        }
    }
};

TEST_F(HangingReceiversTest, FullIntegrationsKeepTheirLimitAndFreedSlotsServeOthersAtOnce) {
    const TestAccount account = createAccount();
    const std::vector<std::string> leadPaths = {"/hooks/hang-a", "/hooks/hang-b", "/hooks/hang-c"};
    const std::string exportPath = "/hooks/hang-export";
    for (const auto& path : leadPaths) {
        receiver().setBehaviour(path, ReceiverBehaviour::hangUntilReleased());
        createWebhook(account, path, {"lead.created"});
    }
    receiver().setBehaviour(exportPath, ReceiverBehaviour::hangUntilReleased());
    createWebhook(account, exportPath, {"export.completed"});
    createWebhook(account, "/hooks/healthy", {"credit.low_balance"});

    // 16 hanging requests, 4 per integration: every slot taken.
    for (std::size_t i = 0; i < kPerIntegration; ++i) {
        ASSERT_EQ(publish(account, "export.completed",
                          R"({"exportId":"exp_)" + std::to_string(i) +
                              R"(","rowCount":10,"format":"csv"})")
                      .status,
                  202);
    }
    publishLeads(account, kPerIntegration);
    ASSERT_TRUE(eventually(
        [&] { return arrived(leadPaths) + receiver().count(exportPath) == kMaxInFlight; }, 20s))
        << arrived(leadPaths) + receiver().count(exportPath) << " hanging requests arrived";

    // A backlog for the full integrations, then the healthy one's event: no slot, nothing goes.
    publishLeads(account, kBacklogEvents);
    const ApiResponse credit =
        publish(account, "credit.low_balance", R"({"remaining":5,"threshold":100})");
    ASSERT_EQ(credit.status, 202) << credit.describe();
    std::this_thread::sleep_for(1500ms);  // several polls
    EXPECT_EQ(receiver().count("/hooks/healthy"), 0u) << "a 17th request went out";
    for (const auto& path : leadPaths) {
        EXPECT_EQ(receiver().count(path), kPerIntegration) << path << " went past its limit";
    }
    EXPECT_EQ(receiver().count(exportPath), kPerIntegration);

    // The export integration's requests finish: its 4 slots serve the healthy delivery now,
    // not the 288 older deliveries of integrations still at their limit.
    const auto freedAt = std::chrono::steady_clock::now();
    receiver().releaseHanging(exportPath);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/healthy", 1, 30s));
    const auto waited = receiver().requests("/hooks/healthy").front().arrivedAt - freedAt;
    EXPECT_LT(waited, 5s) << "the healthy delivery waited "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                          << " ms for a slot after 4 were freed";
    const ReceivedRequest healthy = receiver().requests("/hooks/healthy").front();
    EXPECT_EQ(healthy.header("X-SMB-Event-Id"), credit.string("id"));
    EXPECT_EQ(healthy.header("X-SMB-Attempt"), "1");
    for (const auto& path : leadPaths) {
        EXPECT_EQ(receiver().count(path), kPerIntegration) << path << " went past its limit";
    }
}

}  // namespace
}  // namespace smbhub::test
