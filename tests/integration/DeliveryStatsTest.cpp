// How an endpoint is doing (SPEC §15): GET /api/integrations/:id has `stats` with the last 24
// hours' succeeded / failed / pending deliveries, the success rate, p50 / p95 attempt durations,
// the last success and the last error — kept up as outcomes are recorded, never by scanning the
// log (bench/stats.sh measures it with a million attempts) — beside the counts by state clients
// already read (total, pending, succeeded, failed, cancelled).
#include <chrono>
#include <string>

#include "HubTest.h"
#include "support/Eventually.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 20s;

class DeliveryStatsTest : public HubTest {
protected:
    ApiResponse integration(const TestAccount& account, const std::string& id) {
        return api().get("/api/integrations/" + id, account.apiKey);
    }
};

TEST_F(DeliveryStatsTest, SuccessesFailuresPendingLatencyAndTheLastError) {
    const TestAccount account = createAccount();
    const std::string path = "/hooks/stats";
    const TestIntegration created = createWebhook(account, path);

    // Nothing yet: zeros, and null where there is nothing to divide or rank.
    const ApiResponse empty = integration(account, created.id);
    ASSERT_EQ(empty.status, 200) << empty.describe();
    EXPECT_EQ(toJsonText(jsonAt(empty.json, "stats")),
              toJsonText(parseJson(R"({"total":0,"pending":0,"succeeded":0,"failed":0,"cancelled":0,)"
                                   R"("last24h":{"succeeded":0,"failed":0,"pending":0},)"
                                   R"("successRate":null,"p50Ms":null,"p95Ms":null})")));

    // Three successes that take a second each…
    receiver().setBehaviour(path, ReceiverBehaviour::hangFor(1000ms));
    for (int i = 0; i < 3; ++i) ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests(path, 3, kDeliveryWait));
    ASSERT_TRUE(eventually([&] { return integration(account, created.id).integer("stats.succeeded") == 3; },
                           kDeliveryWait));
    // …one delivery that fails all four attempts with a 503…
    receiver().setBehaviour(path, ReceiverBehaviour::status(503, "down for maintenance"));
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(eventually([&] { return integration(account, created.id).integer("stats.failed") == 1; },
                           kDeliveryWait));
    // …and one still on its way.
    receiver().setBehaviour(path, ReceiverBehaviour::hangUntilReleased());
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests(path, 8, kDeliveryWait));

    const ApiResponse shown = integration(account, created.id);
    const Poco::Dynamic::Var stats = jsonAt(shown.json, "stats");
    SCOPED_TRACE(toJsonText(stats));
    EXPECT_EQ(jsonInt(stats, "total"), 5);
    EXPECT_EQ(jsonInt(stats, "pending"), 1);
    EXPECT_EQ(jsonInt(stats, "succeeded"), 3);
    EXPECT_EQ(jsonInt(stats, "failed"), 1);
    EXPECT_EQ(jsonInt(stats, "cancelled"), 0);
    EXPECT_EQ(jsonInt(stats, "last24h.succeeded"), 3);
    EXPECT_EQ(jsonInt(stats, "last24h.failed"), 1);
    EXPECT_EQ(jsonInt(stats, "last24h.pending"), 1);
    EXPECT_DOUBLE_EQ(jsonAt(stats, "successRate").convert<double>(), 0.75);
    // Seven attempts: four quick 503s, three of at least a second.
    const long long p50 = jsonInt(stats, "p50Ms");
    const long long p95 = jsonInt(stats, "p95Ms");
    EXPECT_GE(p50, 0);
    EXPECT_LT(p50, 1000) << "the median of seven is a quick 503";
    EXPECT_GE(p95, 1000);
    EXPECT_FALSE(jsonString(stats, "lastSuccessAt").empty());
    EXPECT_EQ(jsonString(stats, "lastError.message"), "HTTP 503");
    EXPECT_EQ(jsonInt(stats, "lastError.responseStatus"), 503);
    EXPECT_GT(jsonString(stats, "lastError.at"), jsonString(stats, "lastSuccessAt")) << "ISO times order as text";

    // The list does not carry stats (one integration's view does).
    const ApiResponse list = api().get("/api/integrations", account.apiKey);
    EXPECT_FALSE(jsonHas(list.json, "integrations.0.stats")) << list.describe();
}

// A connection error is an error too, with the hub's message instead of an HTTP status.
TEST_F(DeliveryStatsTest, TheLastErrorOfAnUnreachableEndpointSaysWhy) {
    const TestAccount account = createAccount();
    const TestIntegration created = createWebhook(account, "/hooks/hangs-up");
    receiver().setBehaviour("/hooks/hangs-up", ReceiverBehaviour::hangUpAfter(0));
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(eventually(
        [&] { return jsonHas(integration(account, created.id).json, "stats.lastError"); }, kDeliveryWait));
    const ApiResponse shown = integration(account, created.id);
    EXPECT_FALSE(jsonString(shown.json, "stats.lastError.message").empty()) << shown.describe();
    EXPECT_FALSE(jsonHas(shown.json, "stats.lastError.responseStatus")) << shown.describe();
}

}  // namespace
}  // namespace smbhub::test
