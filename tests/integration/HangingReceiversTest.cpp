// "Slow or hanging receivers never stall deliveries to other integrations" (SPEC §8): one event
// fans out to 200 integrations whose endpoint hangs and one that answers at once; the healthy
// one must get its delivery long before the hanging ones time out. All share one host and port,
// as many Zapier or Make hooks of one account would.
#include <chrono>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr int kHangingIntegrations = 200;

class HangingReceiversTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"delivery.timeout_ms", "8000"}};
    }
};

TEST_F(HangingReceiversTest, HealthyIntegrationIsServedWhileHundredsHang) {
    const TestAccount account = createAccount();
    receiver().setBehaviour("/hooks/hang", ReceiverBehaviour::hangUntilReleased());
    for (int i = 0; i < kHangingIntegrations; ++i) createWebhook(account, "/hooks/hang");
    // Created last, so a hub that worked through deliveries in creation order would reach it last.
    const TestIntegration healthy = createWebhook(account, "/hooks/healthy");

    const auto publishedAt = std::chrono::steady_clock::now();
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    EXPECT_EQ(jsonSize(published.json, "deliveries"),
              static_cast<std::size_t>(kHangingIntegrations + 1));

    ASSERT_TRUE(receiver().waitForRequests("/hooks/healthy", 1, 8s))
        << receiver().count("/hooks/hang") << " hanging requests had arrived";
    const auto arrival = receiver().requests("/hooks/healthy").front().arrivedAt - publishedAt;
    EXPECT_LT(arrival, 4s) << "the healthy delivery waited "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(arrival).count()
                           << " ms behind hanging receivers";
    EXPECT_EQ(receiver().requests("/hooks/healthy").front().header("X-SMB-Attempt"), "1");
    EXPECT_GT(receiver().count("/hooks/hang"), 0u);
}

}  // namespace
}  // namespace smbhub::test
