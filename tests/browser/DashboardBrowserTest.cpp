// The Integrations tab (SPEC §16) in real Chromium, against the real hub and the local HTTPS
// receiver. Each test starts hub and receiver (HubTest), runs one Node scenario that drives the
// page by mouse or by keyboard (tests/browser/scenarios/), then checks on this side what only
// the receiver knows: which deliveries arrived, and that they verify with the signing secret
// the page showed. Screenshots land in <build>/browser-artifacts.
//
// Zapier's and Clay's real host names are mapped to the receiver with delivery.resolve (as in
// ProviderWebhookTest); the OAuth providers get client ids so "Connect" can start, and the
// scenario stands in for the provider's authorization page inside the browser.
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "BrowserScenario.h"
#include "HubTest.h"
#include "support/NodeVerifier.h"
#include "support/SessionToken.h"
#include "support/SignatureCheck.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kZapierPath = "/hooks/catch/4242/browser/";
constexpr const char* kClayPath = "/v3/sources/webhook/pull-in-data-from-a-webhook-browser";

class DashboardBrowserTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        const int port = const_cast<DashboardBrowserTest*>(this)->receiver().port();
        return {
            {"plugins.enabled", "[webhook, zapier, n8n, make, pipedream, clay, hubspot, salesforce, pipedrive]"},
            {"plugins.settings.hubspot.client_id", "\"hubspot-client\""},
            {"plugins.settings.salesforce.client_id", "\"salesforce-client\""},
            {"delivery.resolve", "{\"hooks.zapier.com\": \"127.0.0.1:" + std::to_string(port) +
                                     "\", \"api.clay.com\": \"127.0.0.1:" + std::to_string(port) + "\"}"},
            // The page polls the log every two seconds while scenarios click quickly.
            {"api.rate_limit_burst", "100000"},
            {"api.rate_limit_per_second", "100000"},
        };
    }

    void SetUp() override {
        HubTest::SetUp();
        const std::string missing = BrowserScenario::missingTools();
        if (!missing.empty()) GTEST_FAIL() << missing;
    }

    std::map<std::string, std::string> baseEnv(const TestAccount& account) const {
        return {{"HUB_URL", const_cast<DashboardBrowserTest*>(this)->hub().baseUrl()}, {"API_KEY", account.apiKey}};
    }

    ScenarioOutcome scenario(const std::string& name, std::map<std::string, std::string> env) {
        ScenarioOutcome outcome = BrowserScenario::run(name, env);
        if (!outcome.passed) ADD_FAILURE() << outcome.output;
        return outcome;
    }

    // The requests that reached the receiver for one delivery id.
    std::vector<ReceivedRequest> requestsFor(const std::string& deliveryId) {
        std::vector<ReceivedRequest> out;
        for (const auto& r : receiver().requests()) {
            if (r.header("X-SMB-Delivery") == deliveryId) out.push_back(r);
        }
        return out;
    }

    // Every request of the delivery arrived at `path` and verifies with `secret`, by our own
    // check and by the seed's Node.js snippet.
    void expectSignedWith(const std::string& deliveryId, const std::string& path, const std::string& secret) {
        const auto requests = requestsFor(deliveryId);
        ASSERT_FALSE(requests.empty()) << "delivery " << deliveryId << " never reached the receiver";
        for (const auto& r : requests) {
            EXPECT_EQ(r.path, path);
            const std::string signature = r.header("X-SMB-Signature");
            EXPECT_TRUE(SignatureCheck::verify(signature, secret, r.body)) << signature;
        }
        const auto verdict = NodeVerifier::verify(secret, requests.back().header("X-SMB-Signature"), requests.back().body);
        EXPECT_TRUE(verdict.verified) << verdict.output;
    }
};

TEST_F(DashboardBrowserTest, ManageIntegrationsByMouse) {
    const TestAccount account = createAccount("pro", "Acme Browsers");
    // Every attempt of the first delivery fails (three retries in the test schedule); the
    // manual retry, the fifth request, succeeds.
    receiver().setBehaviour("/hooks/flaky", ReceiverBehaviour::failFirst(4, 500));
    auto env = baseEnv(account);
    env["WEBHOOK_URL"] = receiver().url("/hooks/orders");
    env["FAILING_URL"] = receiver().url("/hooks/flaky");
    env["ZAPIER_URL"] = std::string("https://hooks.zapier.com") + kZapierPath;  // resolved to the receiver
    env["CLAY_URL"] = std::string("https://api.clay.com") + kClayPath;
    const ScenarioOutcome seen = scenario("manage", env);
    ASSERT_TRUE(seen.passed);

    // The secrets the page showed sign what the receiver got.
    expectSignedWith(seen.string("webhookTestDelivery"), "/hooks/orders", seen.string("webhookSecret"));
    expectSignedWith(seen.string("zapierTestDelivery"), kZapierPath, seen.string("zapierSecret"));
    // Clay's auth token, typed into its own field, travels in its header (SPEC §9).
    expectSignedWith(seen.string("clayTestDelivery"), kClayPath, seen.string("claySecret"));
    for (const auto& r : requestsFor(seen.string("clayTestDelivery"))) {
        EXPECT_EQ(r.header("x-clay-webhook-auth"), seen.string("clayToken"));
    }
    const auto flaky = requestsFor(seen.string("flakyDelivery"));
    ASSERT_EQ(flaky.size(), 5u) << "four failed attempts, then the manual retry";
    EXPECT_EQ(flaky.back().answeredStatus, 200);
    EXPECT_EQ(flaky.back().header("X-SMB-Attempt"), "5");
    expectSignedWith(seen.string("flakyDelivery"), "/hooks/flaky", seen.string("flakySecret"));

    // Paused: the event published meanwhile never arrived; after Resume the next one did.
    std::set<std::string> events;
    for (const auto& r : receiver().requests()) events.insert(r.header("X-SMB-Event-Id"));
    EXPECT_EQ(events.count(seen.string("pausedEventId")), 0u);
    EXPECT_EQ(events.count(seen.string("resumedEventId")), 1u);

    // What the page did is what the API now says: Flaky deleted, the Zap renamed.
    const ApiResponse list = api().get("/api/integrations", account.apiKey);
    ASSERT_EQ(list.status, 200) << list.describe();
    std::set<std::string> names;
    for (const auto& item : jsonArray(list.json, "integrations")) {
        names.insert(jsonString(item, "displayName"));
    }
    EXPECT_EQ(names, (std::set<std::string>{"Orders webhook", "Zap for leads", "Clay table"}));
}

TEST_F(DashboardBrowserTest, TheMainApplicationsSessionOpensThePageSignedIn) {
    const TestAccount account = createAccount("pro", "App Session Co");
    createWebhook(account, "/hooks/app");
    auto env = baseEnv(account);
    env.erase("API_KEY");  // the page must not need it
    env["APP_SESSION"] = SessionToken::sign(hub().sessionSecret(), account.id, std::chrono::system_clock::now() + 1h);
    env["ACCOUNT_NAME"] = "App Session Co";
    env["INTEGRATION_NAME"] = "Receiver /hooks/app";
    scenario("app-session", env);
}

TEST_F(DashboardBrowserTest, KeyboardOnlyCreatesAnIntegrationAndSendsATest) {
    const TestAccount account = createAccount("growth", "Keyboard Co");
    auto env = baseEnv(account);
    env["WEBHOOK_URL"] = receiver().url("/hooks/keyboard");
    const ScenarioOutcome seen = scenario("keyboard", env);
    ASSERT_TRUE(seen.passed);
    expectSignedWith(seen.string("testDelivery"), "/hooks/keyboard", seen.string("secret"));
}

TEST_F(DashboardBrowserTest, ScreenshotsAt375And1280AndNothingOverflowsAt375) {
    const TestAccount account = createAccount("pro", "Layout Co");
    // Something to show: two integrations, one with a succeeded and one with a failed delivery.
    receiver().setBehaviour("/hooks/down", ReceiverBehaviour::status(503, "maintenance"));
    const TestIntegration up = createWebhook(account, "/hooks/up", {"lead.created", "export.completed"});
    const TestIntegration down = createWebhook(account, "/hooks/down");
    ASSERT_EQ(api().post("/api/integrations/" + up.id + "/test", "", account.apiKey).status, 202);
    ASSERT_EQ(api().post("/api/integrations/" + down.id + "/test", "", account.apiKey).status, 202);
    const auto failed = waitForAttempts(
        account, down.id, [](const auto& a) { return !a.empty() && jsonString(a.front(), "status") == "failed"; }, 20s);
    ASSERT_FALSE(failed.empty());
    const ScenarioOutcome seen = scenario("layout", baseEnv(account));
    ASSERT_TRUE(seen.passed);
    for (const char* file : {"dashboard-375.png", "dashboard-1280.png", "sign-in-375.png", "sign-in-1280.png"}) {
        EXPECT_EQ(::access((BrowserScenario::artifactDir() + "/" + file).c_str(), R_OK), 0) << file;
    }
}

TEST_F(DashboardBrowserTest, ASuspendedAccountIsToldWhyAndOfferedNothing) {
    const TestAccount account = createAccount("pro", "Suspended Co");
    const ApiResponse set = api().patch("/api/admin/accounts/" + account.id, R"({"status":"suspended"})",
                                        hub().adminToken());
    ASSERT_EQ(set.status, 200) << set.describe();
    auto env = baseEnv(account);
    env["EXPECT_TEXT"] = "suspended";
    scenario("unavailable", env);
}

TEST_F(DashboardBrowserTest, AnUnpaidAccountIsToldWhyAndOfferedNothing) {
    const TestAccount account = createAccount("free", "Free Co");
    auto env = baseEnv(account);
    env["EXPECT_TEXT"] = "paid plan";
    scenario("unavailable", env);
}

TEST_F(DashboardBrowserTest, ConnectStartsOAuthAndTheReturnIsShown) {
    const TestAccount account = createAccount("pro", "CRM Co");
    const ScenarioOutcome seen = scenario("oauth", baseEnv(account));
    ASSERT_TRUE(seen.passed);
    EXPECT_NE(seen.string("salesforceAuthorizeUrl").find("https://test.salesforce.com/"), std::string::npos)
        << "Sandbox goes to Salesforce's sandbox login host: " << seen.string("salesforceAuthorizeUrl");
}

// Secret rotation and replay (SPEC §15): the page shows them when GET /api/session lists them
// (this hub serves both); rotate, see the new secret once, let a test delivery fail for good, and
// replay the failed window.
TEST_F(DashboardBrowserTest, RotateSecretAndReplayAFailedWindow) {
    const TestAccount account = createAccount("pro", "Rotation Co");
    const ApiResponse session = api().get("/api/session", account.apiKey);
    ASSERT_EQ(session.status, 200) << session.describe();
    ASSERT_TRUE(jsonBool(session.json, "features.rotateSecret") && jsonBool(session.json, "features.replay"))
        << "the hub serves rotate-secret and replay, so the page must offer them: " << session.describe();
    receiver().setBehaviour("/hooks/rotating", ReceiverBehaviour::failFirst(4, 500));
    auto env = baseEnv(account);
    env["WEBHOOK_URL"] = receiver().url("/hooks/rotating");
    const ScenarioOutcome seen = scenario("rotate-replay", env);
    ASSERT_TRUE(seen.passed);
    // After rotation every delivery verifies with the new secret (the old one rides along), and
    // the replayed delivery is the one that failed: its id, a fifth attempt.
    const auto requests = requestsFor(seen.string("replayedDelivery"));
    ASSERT_EQ(requests.size(), 5u);
    EXPECT_EQ(requests.back().header("X-SMB-Attempt"), "5");
    const std::string header = requests.back().header("X-SMB-Signature");
    const std::string t = header.substr(2, header.find(',') - 2);
    EXPECT_NE(header.find("v1=" + SignatureCheck::expectedV1(seen.string("newSecret"), t, requests.back().body)),
              std::string::npos) << header;
    const NodeVerdict seed = NodeVerifier::verify(seen.string("newSecret"), header, requests.back().body);
    EXPECT_TRUE(seed.verified) << seed.output;
}

}  // namespace
}  // namespace smbhub::test
