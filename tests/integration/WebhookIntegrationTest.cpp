// Managing a webhook integration through the REST API (SPEC §7) and the test delivery that
// proves it works end to end: headers, envelope and a signature that verifies both with our
// own HMAC and with the seed's Node.js snippet; pausing, and what the database keeps of the
// secrets.
#include <chrono>
#include <optional>
#include <thread>

#include <Poco/JSON/Object.h>

#include "HubTest.h"
#include "support/NodeVerifier.h"
#include "support/SecretsAtRest.h"
#include "support/SignatureCheck.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr auto kDeliveryWait = std::chrono::seconds(10);

class WebhookIntegrationTest : public HubTest {};

TEST_F(WebhookIntegrationTest, CreateReturnsTheSigningSecretOnlyOnce) {
    const TestAccount account = createAccount();
    const TestIntegration integration =
        createWebhook(account, "/hooks/a", {"lead.created", "export.completed"});
    const ApiResponse& created = integration.created;

    EXPECT_THAT(integration.id, StartsWith("int_"));
    EXPECT_THAT(integration.signingSecret, StartsWith("whsec_"));
    EXPECT_GT(integration.signingSecret.size(), std::string("whsec_").size() + 16);
    EXPECT_EQ(created.string("provider"), "webhook");
    EXPECT_EQ(created.string("kind"), "webhook");
    EXPECT_EQ(created.string("status"), "active");
    EXPECT_EQ(created.string("displayName"), "Receiver /hooks/a");
    EXPECT_EQ(created.string("targetUrl"), receiver().url("/hooks/a"));
    EXPECT_EQ(toJsonText(jsonAt(created.json, "events")), R"(["lead.created","export.completed"])");
    EXPECT_FALSE(created.string("createdAt").empty());
    EXPECT_FALSE(created.string("updatedAt").empty());

    const ApiResponse one = api().get("/api/integrations/" + integration.id, account.apiKey);
    ASSERT_EQ(one.status, 200) << one.describe();
    EXPECT_EQ(one.string("id"), integration.id);
    EXPECT_EQ(one.string("targetUrl"), receiver().url("/hooks/a"));
    EXPECT_THAT(one.body, Not(HasSubstr(integration.signingSecret)));
    EXPECT_THAT(one.body, Not(HasSubstr("signingSecret")));

    const ApiResponse all = api().get("/api/integrations", account.apiKey);
    ASSERT_EQ(all.status, 200) << all.describe();
    ASSERT_EQ(jsonSize(all.json, "integrations"), 1u) << all.describe();
    EXPECT_EQ(jsonString(all.json, "integrations.0.id"), integration.id);
    EXPECT_THAT(all.body, Not(HasSubstr(integration.signingSecret)));
    EXPECT_THAT(all.body, Not(HasSubstr("signingSecret")));
}

TEST_F(WebhookIntegrationTest, ProvidersListShowsTheWebhookPluginAvailable) {
    const TestAccount account = createAccount();
    const ApiResponse response = api().get("/api/integrations/providers", account.apiKey);
    ASSERT_EQ(response.status, 200) << response.describe();

    bool found = false;
    for (const auto& provider : jsonArray(response.json, "providers")) {
        if (jsonString(provider, "id") != "webhook") continue;
        found = true;
        EXPECT_EQ(jsonString(provider, "kind"), "webhook");
        EXPECT_EQ(jsonString(provider, "status"), "live");
        EXPECT_TRUE(jsonBool(provider, "available")) << toJsonText(provider);
        EXPECT_EQ(jsonSize(provider, "events"), 5u) << toJsonText(provider);
    }
    EXPECT_TRUE(found) << response.describe();
}

TEST_F(WebhookIntegrationTest, TestDeliveryIsSignedAndVerifiesWithTheSeedSnippet) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/test");

    const ApiResponse fired =
        api().post("/api/integrations/" + integration.id + "/test", "{}", account.apiKey);
    ASSERT_EQ(fired.status, 202) << fired.describe();
    const std::string eventId = fired.string("eventId");
    const std::string deliveryId = fired.string("deliveryId");
    EXPECT_THAT(eventId, StartsWith("evt_"));
    EXPECT_THAT(deliveryId, StartsWith("dlv_"));

    ASSERT_TRUE(receiver().waitForRequests("/hooks/test", 1, kDeliveryWait));
    const ReceivedRequest request = receiver().requests("/hooks/test").front();
    EXPECT_EQ(request.method, "POST");
    EXPECT_THAT(request.header("Content-Type"), StartsWith("application/json"));
    EXPECT_THAT(request.header("User-Agent"), StartsWith("SMBSalesBoost-Hub/"));
    EXPECT_EQ(request.header("X-SMB-Event"), "lead.created");
    EXPECT_EQ(request.header("X-SMB-Event-Id"), eventId);
    EXPECT_EQ(request.header("X-SMB-Delivery"), deliveryId);
    EXPECT_EQ(request.header("X-SMB-Attempt"), "1");

    const std::string signature = request.header("X-SMB-Signature");
    const SignatureVerdict verdict =
        SignatureCheck::verify(signature, integration.signingSecret, request.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;
    const auto sentAt = std::chrono::duration_cast<std::chrono::seconds>(
                            request.arrivedAtWall.time_since_epoch())
                            .count();
    if (verdict.valid) {
        EXPECT_NEAR(std::stoll(verdict.header.timestamp), sentAt, 300) << "t= is not current";
    }
    const NodeVerdict node =
        NodeVerifier::verify(integration.signingSecret, signature, request.body);
    EXPECT_TRUE(node.verified) << "node exit " << node.exitCode << ": " << node.output;
    const NodeVerdict forged =
        NodeVerifier::verify(integration.signingSecret + "x", signature, request.body);
    EXPECT_FALSE(forged.verified) << "the snippet must reject a wrong secret";

    const Poco::Dynamic::Var envelope = parseJson(request.body);
    EXPECT_EQ(jsonString(envelope, "id"), eventId) << request.body;
    EXPECT_EQ(jsonString(envelope, "type"), "lead.created");
    EXPECT_FALSE(jsonString(envelope, "createdAt").empty());
    EXPECT_EQ(jsonString(envelope, "accountId"), account.id);
    EXPECT_TRUE(jsonBool(envelope, "test")) << request.body;
    EXPECT_TRUE(jsonAt(envelope, "data").type() == typeid(Poco::JSON::Object::Ptr))
        << request.body;
}

TEST_F(WebhookIntegrationTest, PatchChangesDisplayNameAndEvents) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/patch");

    const ApiResponse patched = api().patch(
        "/api/integrations/" + integration.id,
        R"({"displayName":"Renamed hook","events":["export.completed","credit.low_balance"]})",
        account.apiKey);
    ASSERT_EQ(patched.status, 200) << patched.describe();
    EXPECT_EQ(patched.string("displayName"), "Renamed hook");
    EXPECT_EQ(toJsonText(jsonAt(patched.json, "events")),
              R"(["export.completed","credit.low_balance"])");
    EXPECT_EQ(patched.string("status"), "active");
    EXPECT_THAT(patched.body, Not(HasSubstr(integration.signingSecret)));

    const ApiResponse fetched = api().get("/api/integrations/" + integration.id, account.apiKey);
    ASSERT_EQ(fetched.status, 200) << fetched.describe();
    EXPECT_EQ(fetched.string("displayName"), "Renamed hook");
    EXPECT_EQ(toJsonText(jsonAt(fetched.json, "events")),
              R"(["export.completed","credit.low_balance"])");
}

TEST_F(WebhookIntegrationTest, PausedIntegrationReceivesNothing) {
    const TestAccount account = createAccount();
    const TestIntegration paused = createWebhook(account, "/hooks/paused");
    const TestIntegration active = createWebhook(account, "/hooks/active");

    const ApiResponse patched = api().patch("/api/integrations/" + paused.id,
                                            R"({"status":"paused"})", account.apiKey);
    ASSERT_EQ(patched.status, 200) << patched.describe();
    EXPECT_EQ(patched.string("status"), "paused");

    const ApiResponse whilePaused = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(whilePaused.status, 202) << whilePaused.describe();
    // The fan-out skips the paused integration: no delivery is made for it, not even one held
    // back until it is resumed.
    ASSERT_EQ(jsonSize(whilePaused.json, "deliveries"), 1u) << whilePaused.describe();
    EXPECT_EQ(jsonString(whilePaused.json, "deliveries.0.integrationId"), active.id);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/active", 1, kDeliveryWait));

    const ApiResponse resumed = api().patch("/api/integrations/" + paused.id,
                                            R"({"status":"active"})", account.apiKey);
    ASSERT_EQ(resumed.status, 200) << resumed.describe();
    const ApiResponse afterResume = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(afterResume.status, 202) << afterResume.describe();
    std::string resumedDelivery;
    for (const auto& delivery : jsonArray(afterResume.json, "deliveries")) {
        if (jsonString(delivery, "integrationId") == paused.id) {
            resumedDelivery = jsonString(delivery, "deliveryId");
        }
    }
    ASSERT_FALSE(resumedDelivery.empty()) << "a resumed integration gets new events: "
                                          << afterResume.describe();

    // Exactly the event published after resuming arrives: the one published while it was
    // paused never does. (Quiet for longer than a poll and the whole retry schedule.)
    ASSERT_TRUE(receiver().waitForRequests("/hooks/paused", 1, kDeliveryWait));
    std::this_thread::sleep_for(std::chrono::milliseconds(1800));
    const auto arrived = receiver().requests("/hooks/paused");
    ASSERT_EQ(arrived.size(), 1u);
    EXPECT_EQ(arrived[0].header("X-SMB-Event-Id"), afterResume.string("id"));
    EXPECT_EQ(arrived[0].header("X-SMB-Delivery"), resumedDelivery);
    EXPECT_EQ(arrived[0].header("X-SMB-Attempt"), "1");
    const auto log = attempts(account, paused.id);
    ASSERT_EQ(log.size(), 1u) << attemptsText(log);
    EXPECT_EQ(jsonString(log[0], "eventId"), afterResume.string("id"));
}

// What the database keeps (SPEC §11): the signing secret sealed under secrets.key and bound to
// its integration (it opens with the key and that integration's id only), the API key as its
// SHA-256 digest. Read straight from the rows, as a stolen database would be.
TEST_F(WebhookIntegrationTest, SecretsAreStoredSealedAndApiKeysHashed) {
    const TestAccount account = createAccount();
    const TestIntegration first = createWebhook(account, "/hooks/sealed-1");
    const TestIntegration second = createWebhook(account, "/hooks/sealed-2");
    const auto db = hub().database();

    for (const auto* integration : {&first, &second}) {
        SCOPED_TRACE(integration->id);
        const auto rows = db->query("SELECT signing_secret FROM integrations WHERE id = " +
                                    TestDatabase::quote(integration->id));
        ASSERT_EQ(rows.size(), 1u);
        const std::string stored = rows[0][0];
        const std::string secretPart = integration->signingSecret.substr(6);  // after "whsec_"
        EXPECT_EQ(stored.find(secretPart), std::string::npos) << "stored in the clear: " << stored;
        EXPECT_EQ(SecretsAtRest::open(stored, HubProcess::testSecretsKey(),
                                      "signing:" + integration->id),
                  integration->signingSecret)
            << "not sealed under secrets.key for this integration: " << stored;
        const TestIntegration& other = integration == &first ? second : first;
        EXPECT_EQ(SecretsAtRest::open(stored, HubProcess::testSecretsKey(), "signing:" + other.id),
                  std::nullopt)
            << "a sealed secret must not open for another row";
    }

    const auto keys = db->query("SELECT key_hash FROM api_keys WHERE account_id = " +
                                TestDatabase::quote(account.id));
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0][0], SecretsAtRest::apiKeyHash(account.apiKey));
    EXPECT_EQ(keys[0][0].find(account.apiKey.substr(5)), std::string::npos);
}

TEST_F(WebhookIntegrationTest, DeleteReturns204AndThenNotFound) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/delete");

    const ApiResponse deleted = api().del("/api/integrations/" + integration.id, account.apiKey);
    EXPECT_EQ(deleted.status, 204) << deleted.describe();
    EXPECT_TRUE(deleted.body.empty()) << deleted.body;

    EXPECT_TRUE(isApiError(api().get("/api/integrations/" + integration.id, account.apiKey), 404,
                           "not_found"));
    EXPECT_TRUE(isApiError(api().del("/api/integrations/" + integration.id, account.apiKey), 404,
                           "not_found"));
    const ApiResponse all = api().get("/api/integrations", account.apiKey);
    ASSERT_EQ(all.status, 200) << all.describe();
    EXPECT_EQ(jsonSize(all.json, "integrations"), 0u) << all.describe();
}

}  // namespace
}  // namespace smbhub::test
