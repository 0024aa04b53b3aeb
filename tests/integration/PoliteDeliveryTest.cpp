// The hub is polite to receivers (SPEC §15): per integration it keeps only as many requests open
// as the receiver answers in time (starting at 4, growing while answers come back, halving on
// timeouts, connection errors, 429 and 503); a Retry-After pauses the whole integration; and an
// optional rateLimitPerSecond caps its requests per second.
//
// A receiver that serves 4 requests at once and lets any more stall gets all of 2,000 deliveries
// without a retry schedule running out — where the old fixed 128 at once had three hubs exhaust
// retries against a small receiver. A limit of 10/s spreads 100 deliveries over at least 9 s. A
// 429 with Retry-After: 2 holds that integration's other deliveries for those 2 s while another
// integration's flow on.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <thread>

#include "HubTest.h"
#include "support/Eventually.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

class PoliteDeliveryTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"api.rate_limit_burst", "100000"}, {"api.rate_limit_per_second", "100000"}};
    }

    ApiResponse createHook(const TestAccount& account, const std::string& path, const std::string& extra) {
        return api().post("/api/integrations/webhook",
                          R"({"provider":"webhook","displayName":"Polite","targetUrl":)" +
                              jsonQuote(receiver().url(path)) + R"(,"events":["lead.created"])" + extra + "}",
                          account.apiKey);
    }

    // Publishes `count` lead.created events from `threads` clients at once; how many were refused.
    int publishMany(const TestAccount& account, int count, int threads) {
        std::atomic<int> next{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> publishers;
        for (int t = 0; t < threads; ++t) {
            publishers.emplace_back([&] {
                const ApiClient client = api();
                while (next++ < count) {
                    const ApiResponse r = client.post("/api/events",
                                                      R"({"type":"lead.created","data":)" + leadsData(1) + "}",
                                                      account.apiKey);
                    if (r.status != 202) ++refused;
                }
            });
        }
        for (auto& p : publishers) p.join();
        return refused;
    }

    ApiResponse integration(const TestAccount& account, const std::string& id) {
        return api().get("/api/integrations/" + id, account.apiKey);
    }
};

TEST_F(PoliteDeliveryTest, AReceiverThatServesFourAtOnceGetsAllTwoThousandDeliveries) {
    constexpr int kDeliveries = 2000;
    const TestAccount account = createAccount();
    const std::string path = "/hooks/small-server";
    receiver().setBehaviour(path, ReceiverBehaviour::servesAtOnce(4, 10ms));
    const TestIntegration hook = createWebhook(account, path);

    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(publishMany(account, kDeliveries, 4), 0);
    long long succeeded = 0;
    long long failed = 0;
    eventually(
        [&] {
            const ApiResponse shown = integration(account, hook.id);
            succeeded = shown.integer("stats.succeeded");
            failed = shown.integer("stats.failed");
            return succeeded + failed == kDeliveries;
        },
        600s);
    const auto took = duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(failed, 0) << "deliveries whose retries ran out";
    EXPECT_EQ(succeeded, kDeliveries);

    std::set<std::string> served;
    std::size_t stalled = 0;
    for (const auto& r : receiver().requests(path)) {
        if (r.answeredStatus == 200) served.insert(r.header("X-SMB-Delivery"));
        if (r.answeredStatus == 0) ++stalled;
    }
    EXPECT_EQ(served.size(), static_cast<std::size_t>(kDeliveries));
    std::cout << "[ measured ] " << kDeliveries << " deliveries to a receiver serving 4 at once in " << took
              << " ms; " << stalled << " requests stalled (and were retried)\n";
}

TEST_F(PoliteDeliveryTest, TenPerSecondSpreadsAHundredDeliveriesOverNineSeconds) {
    const TestAccount account = createAccount();
    const std::string path = "/hooks/ten-per-second";
    const ApiResponse created = createHook(account, path, R"(,"rateLimitPerSecond":10)");
    ASSERT_EQ(created.status, 201) << created.describe();
    EXPECT_EQ(created.integer("rateLimitPerSecond"), 10);
    const std::string id = created.string("id");
    EXPECT_EQ(integration(account, id).integer("rateLimitPerSecond"), 10);

    ASSERT_EQ(publishMany(account, 100, 4), 0);
    ASSERT_TRUE(receiver().waitForRequests(path, 100, 120s)) << receiver().count(path) << " arrived";
    const auto requests = receiver().requests(path);
    const auto spread = duration_cast<milliseconds>(requests.back().arrivedAt - requests.front().arrivedAt).count();
    EXPECT_GE(spread, 9000) << "100 requests at 10/s";
    // Spread out, not sent in bursts: no second holds many more than ten.
    std::size_t busiest = 0;
    for (std::size_t i = 0, j = 0; i < requests.size(); ++i) {
        while (requests[i].arrivedAt - requests[j].arrivedAt >= 1s) ++j;
        busiest = std::max(busiest, i - j + 1);
    }
    EXPECT_LE(busiest, 15u) << "requests in the busiest second";
    std::cout << "[ measured ] 100 deliveries at 10/s spread over " << spread << " ms, at most " << busiest
              << " in one second\n";

    // PATCH changes and removes the limit.
    const ApiResponse faster = api().patch("/api/integrations/" + id, R"({"rateLimitPerSecond":500})", account.apiKey);
    ASSERT_EQ(faster.status, 200) << faster.describe();
    EXPECT_EQ(faster.integer("rateLimitPerSecond"), 500);
    const ApiResponse removed = api().patch("/api/integrations/" + id, R"({"rateLimitPerSecond":null})", account.apiKey);
    ASSERT_EQ(removed.status, 200) << removed.describe();
    EXPECT_FALSE(jsonHas(removed.json, "rateLimitPerSecond")) << removed.describe();
    EXPECT_FALSE(jsonHas(integration(account, id).json, "rateLimitPerSecond"));
    ASSERT_EQ(publishMany(account, 20, 2), 0);
    ASSERT_TRUE(receiver().waitForRequests(path, 120, 30s));
    const auto unlimited = receiver().requests(path);
    EXPECT_LT(duration_cast<milliseconds>(unlimited.back().arrivedAt - unlimited[100].arrivedAt).count(), 1900)
        << "twenty deliveries without a limit are not held to 10/s";
}

TEST_F(PoliteDeliveryTest, BadRateLimitsAreRefused) {
    const TestAccount account = createAccount();
    for (const std::string value : {"0", "-1", "10001", "\"10\"", "2.5", "true"}) {
        EXPECT_TRUE(isApiError(createHook(account, "/hooks/x", ",\"rateLimitPerSecond\":" + value), 400,
                               "invalid_request", "rateLimitPerSecond"))
            << value;
    }
    const TestIntegration hook = createWebhook(account, "/hooks/limits");
    for (const std::string value : {"0", "-1", "10001", "\"10\""}) {
        EXPECT_TRUE(isApiError(api().patch("/api/integrations/" + hook.id, "{\"rateLimitPerSecond\":" + value + "}",
                                           account.apiKey),
                               400, "invalid_request", "rateLimitPerSecond"))
            << value;
    }
    const ApiResponse highest = createHook(account, "/hooks/y", R"(,"rateLimitPerSecond":10000)");
    EXPECT_EQ(highest.status, 201) << highest.describe();
    const ApiResponse none = createHook(account, "/hooks/z", R"(,"rateLimitPerSecond":null)");
    ASSERT_EQ(none.status, 201) << none.describe();
    EXPECT_FALSE(jsonHas(none.json, "rateLimitPerSecond"));
}

TEST_F(PoliteDeliveryTest, RetryAfterHoldsTheWholeIntegrationWhileOthersFlow) {
    const TestAccount account = createAccount();
    receiver().setBehaviour("/hooks/busy", ReceiverBehaviour::retryAfter(429, 2));
    const TestIntegration busyHook = createWebhook(account, "/hooks/busy");
    createWebhook(account, "/hooks/calm");

    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/busy", 1, 10s));
    const auto told = receiver().requests("/hooks/busy").front().arrivedAt;  // answered 429, Retry-After: 2
    // Once the hub has the answer (its attempt is logged), three more events for both.
    const auto logged = waitForAttempts(
        account, busyHook.id,
        [](const auto& attempts) { return !attempts.empty() && jsonInt(attempts.back(), "responseStatus") == 429; },
        10s);
    ASSERT_FALSE(logged.empty());
    ASSERT_LT(std::chrono::steady_clock::now() - told, 1500ms) << "too slow to publish within the pause";
    for (int i = 0; i < 3; ++i) ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/calm", 4, 20s));
    ASSERT_TRUE(receiver().waitForRequests("/hooks/busy", 5, 20s)) << receiver().count("/hooks/busy");

    const auto busy = receiver().requests("/hooks/busy");
    const auto calm = receiver().requests("/hooks/calm");
    std::set<std::string> delivered;
    for (std::size_t i = 1; i < busy.size(); ++i) {
        const auto after = duration_cast<milliseconds>(busy[i].arrivedAt - told).count();
        EXPECT_GE(after, 1950) << "request " << i + 1 << " to the paused integration came " << after
                               << " ms after its 429";
        delivered.insert(busy[i].header("X-SMB-Event-Id"));
    }
    EXPECT_EQ(delivered.size(), 4u) << "the 429'd delivery and the three held ones";
    for (std::size_t i = 1; i < calm.size(); ++i) {
        EXPECT_LT(calm[i].arrivedAt, busy[1].arrivedAt) << "the other integration's request " << i + 1
                                                        << " waited for the paused one";
    }
}

}  // namespace
}  // namespace smbhub::test
