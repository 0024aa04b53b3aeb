// The live webhook providers (SPEC §9) against the real binary: which target URLs each plugin
// accepts or refuses through POST /api/integrations/webhook, and real deliveries to the
// providers' own host names. `delivery.resolve` points those hosts at the local HTTPS receiver,
// whose certificate (from the test CA) carries the provider names, so the hub connects to
// "hooks.zapier.com:443" as written, verifies TLS against that name, and the request lands in the
// receiver. Every delivered request is checked with SignatureCheck, which shares no code with the
// hub.
//
// What every live provider shares is one parameterised suite over the providers (liveProviders():
// the URLs each accepts and refuses, where its signed envelope arrives); what only one provider
// does has a test of its own: Zapier's 410 Gone disabling the integration, Clay's settings and its
// one signed row per lead with its auth header and request count, and a delivery to a provider
// that is not live.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "HubTest.h"
#include "support/Eventually.h"
#include "support/SecretsAtRest.h"
#include "support/SignatureCheck.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 10s;
// Longer than the test schedule's three retries (200ms + 400ms + 800ms) plus slack: anything
// the hub were going to send, it would have sent by then.
constexpr auto kQuietPeriod = 1800ms;

// The provider hosts the deliveries go to; all are in the test certificate.
const std::vector<std::string>& providerHosts() {
    static const std::vector<std::string> hosts = {
        "hooks.zapier.com",    "hook.eu1.make.com", "hook.us1.make.com",
        "eo1.m.pipedream.net", "api.clay.com",      "n8n.example.com"};
    return hosts;
}

std::vector<std::string> objectKeys(const Poco::Dynamic::Var& value) {
    std::vector<std::string> keys;
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return keys;
    const auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (object) object->getNames(keys);
    return keys;
}

bool isScalar(const Poco::Dynamic::Var& value) {
    return value.type() != typeid(Poco::JSON::Object::Ptr) &&
           value.type() != typeid(Poco::JSON::Array::Ptr);
}

class ProviderWebhookTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        // HubTest::SetUp starts the receiver before it asks for the hub's configuration, so its
        // port is known here. (receiver() is not const; reading the port changes nothing.)
        const int port = const_cast<ProviderWebhookTest*>(this)->receiver().port();
        std::string resolve = "{";
        for (const auto& host : providerHosts()) {
            if (resolve.size() > 1) resolve += ", ";
            resolve += jsonQuote(host) + ": " + jsonQuote("127.0.0.1:" + std::to_string(port));
        }
        resolve += "}";
        return {
            {"plugins.enabled",
             "[webhook, zapier, n8n, make, pipedream, clay, hubspot, salesforce, pipedrive]"},
            {"delivery.resolve", resolve},
            {"delivery.allow_private_networks", "true"},
            // The URL-shape tests make many calls in a burst.
            {"api.rate_limit_burst", "100000"},
            {"api.rate_limit_per_second", "100000"},
        };
    }

    ApiResponse postIntegration(const TestAccount& account, const std::string& provider,
                                const std::string& targetUrl,
                                const std::vector<std::string>& events = {"lead.created"},
                                const std::string& settingsJson = "") {
        std::string body = "{\"provider\":" + jsonQuote(provider) +
                           ",\"displayName\":" + jsonQuote(provider + " " + targetUrl) +
                           ",\"targetUrl\":" + jsonQuote(targetUrl) +
                           ",\"events\":" + jsonStringArray(events);
        if (!settingsJson.empty()) body += ",\"settings\":" + settingsJson;
        return api().post("/api/integrations/webhook", body + "}", account.apiKey);
    }

    // Creates the integration (or throws with the hub's answer).
    TestIntegration create(const TestAccount& account, const std::string& provider,
                           const std::string& targetUrl, const std::string& receiverPath,
                           const std::vector<std::string>& events = {"lead.created"},
                           const std::string& settingsJson = "") {
        const ApiResponse response =
            postIntegration(account, provider, targetUrl, events, settingsJson);
        if (response.status != 201) {
            throw std::runtime_error("creating " + provider + " " + targetUrl + ": " +
                                     response.describe());
        }
        return {response.string("id"), response.string("signingSecret"), receiverPath, response};
    }

    void expectAccepted(const TestAccount& account, const std::string& provider,
                        const std::vector<std::string>& urls) {
        for (const auto& url : urls) {
            SCOPED_TRACE(provider + " should accept " + url);
            const ApiResponse response = postIntegration(account, provider, url);
            ASSERT_EQ(response.status, 201) << response.describe();
            EXPECT_EQ(response.string("provider"), provider);
            EXPECT_EQ(response.string("kind"), "webhook");
            EXPECT_EQ(response.string("status"), "active");
            EXPECT_THAT(response.string("id"), StartsWith("int_"));
            EXPECT_FALSE(response.string("signingSecret").empty());
        }
    }

    // Each URL is refused with 400 invalid_request on targetUrl, and the message shows the
    // shape the provider expects (it contains `shapeHint`).
    void expectRefused(const TestAccount& account, const std::string& provider,
                       const std::vector<std::string>& urls, const std::string& shapeHint) {
        for (const auto& url : urls) {
            SCOPED_TRACE(provider + " should refuse " + url);
            const ApiResponse response = postIntegration(account, provider, url);
            EXPECT_TRUE(isApiError(response, 400, "invalid_request", "targetUrl"));
            EXPECT_EQ(response.errorField(), "targetUrl") << response.describe();
            EXPECT_THAT(response.errorMessage(), HasSubstr(shapeHint)) << response.describe();
        }
        // Whatever the provider, a plain-http URL of the right shape is the hub's refusal.
        const std::string http = "http://" + urls.front().substr(std::string("https://").size());
        SCOPED_TRACE(provider + " should refuse " + http);
        EXPECT_TRUE(isApiError(postIntegration(account, provider, http), 400, "invalid_request",
                               "targetUrl"));
    }

    ApiResponse integration(const TestAccount& account, const std::string& id) {
        return api().get("/api/integrations/" + id, account.apiKey);
    }

    // Publishes lead.created and checks the one request that arrives at `host` + `path`: the
    // SPEC §8 headers, a signature that verifies with the integration's secret (and only with
    // it), and the hub's envelope as the body.
    void expectSignedEnvelopeDelivery(const TestAccount& account,
                                      const TestIntegration& integration,
                                      const std::string& host) {
        SCOPED_TRACE("delivery to " + host + integration.path);
        const ApiResponse published = publish(account, "lead.created", leadsData(2));
        ASSERT_EQ(published.status, 202) << published.describe();
        const std::string eventId = published.string("id");
        ASSERT_EQ(jsonSize(published.json, "deliveries"), 1u) << published.describe();
        EXPECT_EQ(jsonString(published.json, "deliveries.0.integrationId"), integration.id);
        const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");

        ASSERT_TRUE(receiver().waitForRequests(integration.path, 1, kDeliveryWait))
            << attemptsText(attempts(account, integration.id));
        const ReceivedRequest request = receiver().requests(integration.path).front();
        EXPECT_EQ(request.method, "POST");
        // The request was addressed to the provider's host, not to the receiver's own name.
        EXPECT_EQ(request.header("Host").substr(0, host.size()), host) << request.header("Host");
        EXPECT_THAT(request.header("Content-Type"), StartsWith("application/json"));
        EXPECT_THAT(request.header("User-Agent"), StartsWith("SMBSalesBoost-Hub/"));
        EXPECT_EQ(request.header("X-SMB-Event"), "lead.created");
        EXPECT_EQ(request.header("X-SMB-Event-Id"), eventId);
        EXPECT_EQ(request.header("X-SMB-Delivery"), deliveryId);
        EXPECT_EQ(request.header("X-SMB-Attempt"), "1");
        const SignatureVerdict verdict = SignatureCheck::verify(
            request.header("X-SMB-Signature"), integration.signingSecret, request.body);
        EXPECT_TRUE(verdict.valid) << verdict.reason << "; header "
                                   << request.header("X-SMB-Signature");
        EXPECT_FALSE(SignatureCheck::verify(request.header("X-SMB-Signature"),
                                            integration.signingSecret + "x", request.body)
                         .valid);

        const Poco::Dynamic::Var envelope = parseJson(request.body);
        EXPECT_EQ(jsonString(envelope, "id"), eventId) << request.body;
        EXPECT_EQ(jsonString(envelope, "type"), "lead.created");
        EXPECT_EQ(jsonString(envelope, "accountId"), account.id);
        EXPECT_EQ(jsonInt(envelope, "data.count"), 2) << request.body;
        EXPECT_EQ(jsonString(envelope, "data.leads.1.id"), "lead_2") << request.body;

        const auto seen = waitForAttempts(
            account, integration.id,
            [](const auto& list) {
                return !list.empty() && jsonString(list.front(), "status") == "succeeded";
            },
            kDeliveryWait);
        ASSERT_EQ(seen.size(), 1u) << attemptsText(seen);
        EXPECT_EQ(jsonString(seen.front(), "status"), "succeeded") << attemptsText(seen);
        EXPECT_EQ(jsonInt(seen.front(), "responseStatus"), 200);
    }
};

// ---- What every live webhook provider does -----------------------------------------------------

constexpr const char* kClayUrl =
    "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-5c2f9a1e";
constexpr const char* kClayPath = "/v3/sources/webhook/pull-in-data-from-a-webhook-5c2f9a1e";
constexpr const char* kClayToken = "clay-auth-7Qx2-9fLm";

// Where one integration of a provider delivers: the target URL it is created with, and where and
// how the request arrives at the receiver.
struct EnvelopeTarget {
    std::string targetUrl;
    std::string receiverPath;  // the path the request arrives at
    std::string host;          // the Host it is addressed to
    std::string query = "";    // the query it arrives with
};

// One live webhook provider as a user meets it through the API.
struct LiveProvider {
    std::string id;
    std::vector<std::string> accepted;  // target URLs its plugin accepts
    std::vector<std::string> refused;   // …and refuses (the first also as plain http)
    std::string shapeHint;              // what each refusal's message shows of the right shape
    // Integrations that receive the hub's signed envelope, created and deleted one after the
    // other; none for a provider that sends something else (Clay: its own tests below).
    std::vector<EnvelopeTarget> envelopeTargets;
};

const std::vector<LiveProvider>& liveProviders() {
    static const std::vector<LiveProvider> providers = {
        {"zapier",
         {"https://hooks.zapier.com/hooks/catch/123456/abcdef/",
          "https://hooks.zapier.com/hooks/catch/123456/abcdef",
          "https://hooks.zapier.com/hooks/catch/9876543/3a1b2c9z/silent/",
          "https://hooks.zapier.com/hooks/catch/9876543/3a1b2c9z/silent",
          "https://hooks.zapier.com:443/hooks/catch/123456/abcdef/"},
         {"https://hooks.zapier.com/hooks/catch/123456/",  // no hook key
          "https://hooks.zapier.com/hooks/catch/",
          "https://hooks.zapier.com/hooks/catch/acme/abcdef/",  // id is not numeric
          "https://hooks.zapier.com/hooks/catch/123456/abcdef/extra/path",
          "https://hooks.zapier.com:8443/hooks/catch/123456/abcdef/",
          "https://zapier.com/hooks/catch/123456/abcdef/",
          "https://zapier.com/editor/123456789/published",  // the Zap editor page
          "https://hooks.zapier.com.attacker.example/hooks/catch/123456/abcdef/",
          "https://hook.eu1.make.com/abc123def456"},
         "https://hooks.zapier.com/hooks/catch/",
         {{"https://hooks.zapier.com/hooks/catch/123456/abcdef/", "/hooks/catch/123456/abcdef/",
           "hooks.zapier.com"}}},
        {"n8n",
         {"https://acme.app.n8n.cloud/webhook/leads",
          "https://acme.app.n8n.cloud/webhook-test/leads",
          "https://n8n.example.com/webhook/2f6c1d7e-4b1a-4e7c-9a3e-0c5d8b2f1a6e",
          "https://automation.example.org:5678/webhook/smb/new-lead",
          "https://example.com/tools/n8n/webhook/leads/"},
         {"https://acme.app.n8n.cloud/webhook/",  // names no node
          "https://acme.app.n8n.cloud/webhook",
          "https://acme.app.n8n.cloud/workflow/42",  // the editor page
          "https://acme.app.n8n.cloud/",
          "https://acme.app.n8n.cloud/webhooks/leads",
          "https://n8n.example.com/form/leads"},
         "/webhook/",
         // A self-hosted n8n; the query the user gave arrives as it is.
         {{"https://n8n.example.com/webhook/smb-leads?source=smb&v=2", "/webhook/smb-leads",
           "n8n.example.com", "source=smb&v=2"}}},
        {"make",
         {"https://hook.eu1.make.com/abc123def456ghi789",
          "https://hook.us1.make.com/4x7kq2m9w1z8y5v3t6r0p/",
          "https://hook.eu2.make.com/yd8bqtmm5k1q1v9xjn7fc2ty3o4b5rsf",
          "https://hook.us2.make.com/A1b2C3"},
         {"https://hook.make.com/abc123def456",  // no zone
          "https://hook.eu1.make.com/",          // no token
          "https://hook.eu1.make.com/abc123/extra",
          "https://eu1.make.com/abc123def456",
          "https://eu1.make.com/123456/scenarios/789/edit",  // the scenario editor
          "https://hook.integromat.com/abc123def456",
          "https://hook.eu1.make.com:8443/abc123def456",
          "https://hook.eu1.make.com.attacker.example/abc123def456"},
         "make.com",
         // Both zones.
         {{"https://hook.eu1.make.com/eu1scenario42", "/eu1scenario42", "hook.eu1.make.com"},
          {"https://hook.us1.make.com/us1scenario7/", "/us1scenario7/", "hook.us1.make.com"}}},
        {"pipedream",
         {"https://eo1a2b3c4d5e6f7.m.pipedream.net",
          "https://eo1a2b3c4d5e6f7.m.pipedream.net/",
          "https://enx9w8v7u6t5s4r.m.pipedream.net/leads/new",
          "https://eo1.m.pipedream.net:443/"},
         {"https://eo1a2b3c4d5e6f7.pipedream.net",  // no ".m"
          "https://m.pipedream.net/",
          "https://pipedream.com/@acme/p_abc123/edit",  // the workflow editor
          "https://eo1a2b3c4d5e6f7.m.pipedream.net:8443/",
          "https://eo-1a2b.m.pipedream.net/",
          "https://eo1a2b3c4d5e6f7.m.pipedream.net.attacker.example/"},
         "m.pipedream.net",
         // As Pipedream shows it: the bare host, so the request goes to "/".
         {{"https://eo1.m.pipedream.net", "/", "eo1.m.pipedream.net"}}},
        {"clay",
         {kClayUrl,
          "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-"
          "0d3c1f2e-8b7a-4c6d-9e5f-1a2b3c4d5e6f",
          "https://api.clay.com/v3/sources/webhook/abc123/"},
         {"https://app.clay.com/workspaces/12345/tables/t_abc123",  // the table page
          "https://api.clay.com/",
          "https://api.clay.com",
          "https://clay.com/v3/sources/webhook/abc123",
          "https://api.clay.com:8443/v3/sources/webhook/abc123",
          "https://api.clay.com.attacker.example/v3/sources/webhook/abc123"},
         "https://api.clay.com/",
         {}},
    };
    return providers;
}

// Test names and messages show the provider's id.
void PrintTo(const LiveProvider& provider, std::ostream* out) { *out << provider.id; }

std::vector<LiveProvider> envelopeProviders() {
    std::vector<LiveProvider> out;
    for (const auto& provider : liveProviders()) {
        if (!provider.envelopeTargets.empty()) out.push_back(provider);
    }
    return out;
}

std::string providerName(const ::testing::TestParamInfo<LiveProvider>& info) {
    return info.param.id;
}

class ProviderUrlRulesTest : public ProviderWebhookTest,
                             public ::testing::WithParamInterface<LiveProvider> {};

TEST_P(ProviderUrlRulesTest, AcceptsItsServicesUrlsAndRefusesOthers) {
    const LiveProvider& provider = GetParam();
    const TestAccount account = createAccount();
    expectAccepted(account, provider.id, provider.accepted);
    expectRefused(account, provider.id, provider.refused, provider.shapeHint);
}

INSTANTIATE_TEST_SUITE_P(LiveProviders, ProviderUrlRulesTest, ::testing::ValuesIn(liveProviders()),
                         providerName);

class SignedEnvelopeDeliveryTest : public ProviderWebhookTest,
                                   public ::testing::WithParamInterface<LiveProvider> {};

TEST_P(SignedEnvelopeDeliveryTest, ArrivesSignedAtTheProvidersHost) {
    const LiveProvider& provider = GetParam();
    const TestAccount account = createAccount();
    // One integration at a time, each deleted once its delivery is checked: the next event
    // goes to the next one only.
    std::vector<TestIntegration> deleted;
    for (const EnvelopeTarget& target : provider.envelopeTargets) {
        const TestIntegration integration =
            create(account, provider.id, target.targetUrl, target.receiverPath);
        expectSignedEnvelopeDelivery(account, integration, target.host);
        EXPECT_EQ(receiver().requests(integration.path).front().query, target.query);
        ASSERT_EQ(api().del("/api/integrations/" + integration.id, account.apiKey).status, 204);
        deleted.push_back(integration);
    }
    for (const TestIntegration& integration : deleted) {
        EXPECT_EQ(receiver().count(integration.path), 1u)
            << "a deleted integration got a later event: " << integration.path;
    }
}

INSTANTIATE_TEST_SUITE_P(LiveProviders, SignedEnvelopeDeliveryTest,
                         ::testing::ValuesIn(envelopeProviders()), providerName);

// ---- Zapier -------------------------------------------------------------------------------------

TEST_F(ProviderWebhookTest, ZapierGoneDisablesTheIntegrationAndStopsDeliveries) {
    const TestAccount account = createAccount();
    const TestIntegration zap =
        create(account, "zapier", "https://hooks.zapier.com/hooks/catch/123456/zapoff/",
               "/hooks/catch/123456/zapoff/", {"lead.created", "credit.low_balance"});
    receiver().setBehaviour(zap.path, ReceiverBehaviour::gone());

    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests(zap.path, 1, kDeliveryWait));

    ApiResponse current;
    ASSERT_TRUE(eventually(
        [&] {
            current = integration(account, zap.id);
            return current.string("status") == "disabled";
        },
        kDeliveryWait))
        << current.describe();
    EXPECT_FALSE(current.string("statusReason").empty()) << current.describe();
    EXPECT_THAT(current.string("statusReason"), HasSubstr("410")) << current.describe();

    // Nothing more: no retry of the refused delivery, and a new event makes no delivery for
    // it (none held back either, to go out once it is active again).
    const ApiResponse later = publish(account, "credit.low_balance",
                                      R"({"remaining":5,"threshold":100})");
    ASSERT_EQ(later.status, 202) << later.describe();
    EXPECT_EQ(jsonSize(later.json, "deliveries"), 0u) << later.describe();
    std::this_thread::sleep_for(kQuietPeriod);
    EXPECT_EQ(receiver().count(zap.path), 1u);

    const auto seen = attempts(account, zap.id);
    ASSERT_EQ(seen.size(), 1u) << attemptsText(seen);
    EXPECT_EQ(jsonString(seen.front(), "status"), "failed") << attemptsText(seen);
    EXPECT_EQ(jsonInt(seen.front(), "responseStatus"), 410) << attemptsText(seen);
    EXPECT_EQ(jsonString(seen.front(), "deliveryId"),
              jsonString(published.json, "deliveries.0.deliveryId"));
    EXPECT_FALSE(jsonHas(seen.front(), "nextAttemptAt")) << attemptsText(seen);
    EXPECT_EQ(integration(account, zap.id).string("status"), "disabled");

    // The user turns the Zap back on and re-activates the integration: deliveries resume.
    receiver().setBehaviour(zap.path, ReceiverBehaviour::status(200));
    const ApiResponse reactivated =
        api().patch("/api/integrations/" + zap.id, R"({"status":"active"})", account.apiKey);
    ASSERT_EQ(reactivated.status, 200) << reactivated.describe();
    EXPECT_EQ(reactivated.string("status"), "active") << reactivated.describe();
    EXPECT_FALSE(jsonHas(reactivated.json, "statusReason"))
        << "an active integration still carries the reason it was disabled: "
        << reactivated.describe();
    const ApiResponse resumed = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(resumed.status, 202) << resumed.describe();
    ASSERT_EQ(jsonSize(resumed.json, "deliveries"), 1u) << resumed.describe();
    ASSERT_TRUE(receiver().waitForRequests(zap.path, 2, kDeliveryWait));
    // Exactly the new event: not the credit.low_balance published while it was disabled, and
    // not another try of the delivery that the 410 ended.
    std::this_thread::sleep_for(kQuietPeriod);
    const auto arrived = receiver().requests(zap.path);
    ASSERT_EQ(arrived.size(), 2u);
    EXPECT_EQ(arrived[1].header("X-SMB-Event-Id"), resumed.string("id"));
    EXPECT_EQ(arrived[1].header("X-SMB-Delivery"),
              jsonString(resumed.json, "deliveries.0.deliveryId"));
    EXPECT_EQ(arrived[1].header("X-SMB-Attempt"), "1");
}

// The Generic Webhook gives 410 no special meaning: an ordinary failure, retried on the schedule,
// and the integration stays active.
TEST_F(ProviderWebhookTest, GoneFromAGenericWebhookIsAnOrdinaryFailure) {
    const TestAccount account = createAccount();
    const TestIntegration hook = createWebhook(account, "/hooks/gone");
    receiver().setBehaviour(hook.path, ReceiverBehaviour::gone());

    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    const auto seen = waitForAttempts(
        account, hook.id,
        [](const auto& list) {
            return !list.empty() && jsonString(list.front(), "status") == "failed";
        },
        kDeliveryWait);
    EXPECT_EQ(seen.size(), 4u) << attemptsText(seen);
    EXPECT_EQ(receiver().count(hook.path), 4u);
    EXPECT_EQ(integration(account, hook.id).string("status"), "active");
}

// ---- Clay ---------------------------------------------------------------------------------------

// Seven leads with nested objects and arrays, as the main application sends them.
std::string clayLeads() {
    std::string leads;
    for (int i = 1; i <= 7; ++i) {
        const std::string n = std::to_string(i);
        if (i > 1) leads += ",";
        leads += R"({"id":"lead_)" + n + R"(","businessName":"Business )" + n +
                 R"( LLC","email":"owner)" + n +
                 R"(@example.com","employees":)" + n +
                 R"(,"address":{"city":"Austin","state":"TX","geo":{"lat":30.27,"lng":-97.74}},)"
                 R"("tags":["new","llc"]})";
    }
    return R"({"exportId":"exp_2024_11","leads":[)" + leads + "]}";
}

// Clay's URL rules are in the suite above; its settings are its own.
TEST_F(ProviderWebhookTest, ClayTakesOnlyTheSettingsItDeclaresAsHeaderSafeStrings) {
    const TestAccount account = createAccount();
    EXPECT_TRUE(isApiError(
        postIntegration(account, "clay", kClayUrl, {"lead.created"}, R"({"authToken":"a\r\nb"})"),
        400, "invalid_request", "settings.authToken"));
    EXPECT_TRUE(isApiError(
        postIntegration(account, "clay", kClayUrl, {"lead.created"}, R"({"authToken":42})"), 400,
        "invalid_request", "settings.authToken"));
    EXPECT_TRUE(isApiError(
        postIntegration(account, "clay", kClayUrl, {"lead.created"}, R"({"tableId":"t_1"})"),
        400, "invalid_request", "settings.tableId"));
}

TEST_F(ProviderWebhookTest, ClaySendsOneSignedRowPerSampleLeadWithItsAuthHeader) {
    const TestAccount account = createAccount();
    const TestIntegration table =
        create(account, "clay", kClayUrl, kClayPath, {"lead.created"},
               std::string(R"({"authToken":)") + jsonQuote(kClayToken) + "}");

    // The token is write-only: not in the 201, not in GET one, not in GET all.
    EXPECT_EQ(table.created.body.find(kClayToken), std::string::npos) << table.created.body;
    EXPECT_FALSE(jsonHas(table.created.json, "settings.authToken")) << table.created.body;
    EXPECT_EQ(jsonInt(table.created.json, "usage.requestsSent"), 0) << table.created.body;
    EXPECT_EQ(jsonInt(table.created.json, "usage.requestLimit"), 50000) << table.created.body;
    const ApiResponse one = integration(account, table.id);
    ASSERT_EQ(one.status, 200) << one.describe();
    EXPECT_EQ(one.body.find(kClayToken), std::string::npos) << one.body;
    EXPECT_FALSE(jsonHas(one.json, "settings.authToken")) << one.body;
    const ApiResponse all = api().get("/api/integrations", account.apiKey);
    ASSERT_EQ(all.status, 200) << all.describe();
    EXPECT_EQ(all.body.find(kClayToken), std::string::npos) << all.body;
    {
        // At rest: sealed under secrets.key for this integration, and in no other column.
        const auto db = hub().database();
        const auto rows = db->query("SELECT settings, secret_settings FROM integrations WHERE id = " +
                                    TestDatabase::quote(table.id));
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0][0].find(kClayToken), std::string::npos) << rows[0][0];
        EXPECT_EQ(rows[0][1].find(kClayToken), std::string::npos) << rows[0][1];
        const auto opened = SecretsAtRest::open(rows[0][1], HubProcess::testSecretsKey(),
                                                "settings:" + table.id);
        ASSERT_TRUE(opened.has_value()) << "not sealed for this integration: " << rows[0][1];
        EXPECT_EQ(jsonString(parseJson(*opened), "authToken"), kClayToken) << *opened;
    }

    const ApiResponse published = publish(account, "lead.created", clayLeads());
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string eventId = published.string("id");
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");

    // Seven leads published, a sample of five delivered: five rows, no more.
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 5, kDeliveryWait))
        << attemptsText(attempts(account, table.id));
    std::this_thread::sleep_for(500ms);
    const auto rows = receiver().requests(kClayPath);
    ASSERT_EQ(rows.size(), 5u);

    std::set<std::string> leadIds;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ReceivedRequest& row = rows[i];
        SCOPED_TRACE("row " + std::to_string(i + 1) + ": " + row.body);
        EXPECT_EQ(row.header("Host").substr(0, 12), "api.clay.com");
        EXPECT_EQ(row.header("x-clay-webhook-auth"), kClayToken);
        EXPECT_EQ(row.header("X-SMB-Delivery"), deliveryId);
        EXPECT_EQ(row.header("X-SMB-Event-Id"), eventId);
        EXPECT_EQ(row.header("X-SMB-Event"), "lead.created");
        const SignatureVerdict verdict =
            SignatureCheck::verify(row.header("X-SMB-Signature"), table.signingSecret, row.body);
        EXPECT_TRUE(verdict.valid) << verdict.reason;

        const Poco::Dynamic::Var columns = parseJson(row.body);
        ASSERT_FALSE(objectKeys(columns).empty()) << "not a JSON object";
        for (const auto& key : objectKeys(columns)) {
            EXPECT_TRUE(isScalar(jsonAt(columns, key))) << "column " << key << " is not flat";
        }
        leadIds.insert(jsonString(columns, "id"));
        EXPECT_EQ(jsonString(columns, "businessName"),
                  "Business " + jsonString(columns, "id").substr(5) + " LLC");
        EXPECT_THAT(jsonString(columns, "email"), HasSubstr("@example.com"));
        EXPECT_GE(jsonInt(columns, "employees"), 1) << "numbers stay numbers";
        EXPECT_EQ(jsonString(columns, "address_city"), "Austin");
        EXPECT_EQ(jsonString(columns, "address_state"), "TX");
        EXPECT_TRUE(jsonHas(columns, "address_geo_lat"));
        EXPECT_EQ(parseJson(jsonString(columns, "tags")).isEmpty(), false)
            << "an array becomes its JSON text";
        EXPECT_EQ(jsonString(columns, "event_id"), eventId);
        EXPECT_EQ(jsonString(columns, "event_type"), "lead.created");
        EXPECT_EQ(jsonString(columns, "export_id"), "exp_2024_11");
        EXPECT_FALSE(jsonHas(columns, "leads"));
        EXPECT_FALSE(jsonHas(columns, "count"));
    }
    EXPECT_EQ(leadIds, (std::set<std::string>{"lead_1", "lead_2", "lead_3", "lead_4", "lead_5"}));

    // One delivery, one succeeded attempt, and Clay's counter shows the five rows.
    const auto seen = waitForAttempts(
        account, table.id,
        [](const auto& list) {
            return !list.empty() && jsonString(list.front(), "status") == "succeeded";
        },
        kDeliveryWait);
    ASSERT_EQ(seen.size(), 1u) << attemptsText(seen);
    ApiResponse after;
    EXPECT_TRUE(eventually(
        [&] {
            after = integration(account, table.id);
            return jsonInt(after.json, "usage.requestsSent") == 5;
        },
        kDeliveryWait))
        << after.describe();
    EXPECT_EQ(jsonInt(after.json, "usage.requestLimit"), 50000) << after.describe();
    EXPECT_FALSE(jsonHas(after.json, "settings.authToken")) << after.describe();
    EXPECT_EQ(after.body.find(kClayToken), std::string::npos) << after.body;
}

TEST_F(ProviderWebhookTest, ClaySendsAnEventWithoutLeadsAsOneRowOfItsData) {
    const TestAccount account = createAccount();
    // No auth token: no x-clay-webhook-auth header.
    const TestIntegration table =
        create(account, "clay", kClayUrl, kClayPath, {"lead.created", "credit.low_balance"});

    const ApiResponse published =
        publish(account, "credit.low_balance", R"({"remaining":12,"threshold":100})");
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 1, kDeliveryWait))
        << attemptsText(attempts(account, table.id));
    std::this_thread::sleep_for(400ms);
    const auto rows = receiver().requests(kClayPath);
    ASSERT_EQ(rows.size(), 1u);
    const ReceivedRequest& row = rows.front();
    EXPECT_EQ(row.header("x-clay-webhook-auth"), "");
    EXPECT_FALSE(row.headers.has("x-clay-webhook-auth"));
    EXPECT_EQ(row.header("X-SMB-Event"), "credit.low_balance");
    const SignatureVerdict verdict =
        SignatureCheck::verify(row.header("X-SMB-Signature"), table.signingSecret, row.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;
    const Poco::Dynamic::Var columns = parseJson(row.body);
    EXPECT_EQ(jsonInt(columns, "remaining"), 12) << row.body;
    EXPECT_EQ(jsonInt(columns, "threshold"), 100) << row.body;
    EXPECT_EQ(jsonString(columns, "event_id"), published.string("id")) << row.body;
    EXPECT_EQ(jsonString(columns, "event_type"), "credit.low_balance") << row.body;
    for (const auto& key : objectKeys(columns)) {
        EXPECT_TRUE(isScalar(jsonAt(columns, key))) << "column " << key << " is not flat";
    }

    ApiResponse after;
    EXPECT_TRUE(eventually(
        [&] {
            after = integration(account, table.id);
            return jsonInt(after.json, "usage.requestsSent") == 1;
        },
        kDeliveryWait))
        << after.describe();

    // A lead event afterwards adds its rows to the same count.
    ASSERT_EQ(publish(account, "lead.created", leadsData(2)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 3, kDeliveryWait));
    EXPECT_TRUE(eventually(
        [&] {
            after = integration(account, table.id);
            return jsonInt(after.json, "usage.requestsSent") == 3;
        },
        kDeliveryWait))
        << after.describe();
}

// A row that fails stops the rendering there; the retry starts at that row, so Clay never gets a
// row twice that it already took, and the count shows each row once.
TEST_F(ProviderWebhookTest, ClayRetryResumesAtTheFirstUnsentRow) {
    const TestAccount account = createAccount();
    const TestIntegration table = create(account, "clay", kClayUrl, kClayPath);
    receiver().setBehaviour(kClayPath, ReceiverBehaviour::statuses({200, 200, 503}));

    const ApiResponse published = publish(account, "lead.created", leadsData(5));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 6, kDeliveryWait))
        << attemptsText(attempts(account, table.id));
    std::this_thread::sleep_for(500ms);
    const auto rows = receiver().requests(kClayPath);
    ASSERT_EQ(rows.size(), 6u);
    const std::vector<std::string> expectedIds = {"lead_1", "lead_2", "lead_3",
                                                  "lead_3", "lead_4", "lead_5"};
    const std::vector<std::string> expectedAttempts = {"1", "1", "1", "2", "2", "2"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        SCOPED_TRACE("request " + std::to_string(i + 1) + ": " + rows[i].body);
        EXPECT_EQ(jsonString(parseJson(rows[i].body), "id"), expectedIds[i]);
        EXPECT_EQ(rows[i].header("X-SMB-Attempt"), expectedAttempts[i]);
        EXPECT_EQ(rows[i].header("X-SMB-Delivery"),
                  jsonString(published.json, "deliveries.0.deliveryId"));
        EXPECT_TRUE(SignatureCheck::verify(rows[i].header("X-SMB-Signature"),
                                           table.signingSecret, rows[i].body)
                        .valid);
    }
    ApiResponse after;
    EXPECT_TRUE(eventually(
        [&] {
            after = integration(account, table.id);
            return jsonInt(after.json, "usage.requestsSent") == 5;
        },
        kDeliveryWait))
        << after.describe();
    const auto seen = attempts(account, table.id);
    ASSERT_EQ(seen.size(), 2u) << attemptsText(seen);
    EXPECT_EQ(jsonString(seen[0], "status"), "succeeded");
    EXPECT_EQ(jsonString(seen[1], "status"), "pending");
    EXPECT_EQ(jsonInt(seen[1], "responseStatus"), 503);
}

// "says so before the limit": near 50,000 rows the integration carries a warning. The count is
// moved close to the limit in the database (sending 45,000 rows would take too long).
TEST_F(ProviderWebhookTest, ClayWarnsBeforeTheRowLimit) {
    const TestAccount account = createAccount();
    const TestIntegration table = create(account, "clay", kClayUrl, kClayPath);
    EXPECT_FALSE(jsonHas(table.created.json, "warning")) << table.created.body;
    {
        const auto db = hub().database();
        ASSERT_EQ(db->execute("UPDATE integrations SET requests_sent = 44998 WHERE id = " +
                             TestDatabase::quote(table.id)),
                  1);
    }
    const ApiResponse before = integration(account, table.id);
    EXPECT_EQ(jsonInt(before.json, "usage.requestsSent"), 44998) << before.describe();
    EXPECT_FALSE(jsonHas(before.json, "warning")) << before.describe();

    ASSERT_EQ(publish(account, "lead.created", leadsData(2)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 2, kDeliveryWait));
    ApiResponse after;
    EXPECT_TRUE(eventually(
        [&] {
            after = integration(account, table.id);
            return jsonInt(after.json, "usage.requestsSent") == 45000;
        },
        kDeliveryWait))
        << after.describe();
    EXPECT_THAT(after.string("warning"), HasSubstr("50000")) << after.describe();
}

// ---- A provider that is not live ----------------------------------------------------------------

// The API refuses webhook integrations for the OAuth providers (and there is no other way to
// create one yet), so the test makes one the way a future OAuth connection or an older hub
// version could leave it: a stored integration whose provider is hubspot. Its deliveries must
// fail at once with a clear error; nothing is sent.
TEST_F(ProviderWebhookTest, DeliveryToAProviderThatIsNotLiveFailsWithAClearError) {
    const TestAccount account = createAccount();
    EXPECT_TRUE(isApiError(
        postIntegration(account, "hubspot", receiver().url("/hooks/hubspot")), 400,
        "invalid_request", "provider"));

    const TestIntegration stored = createWebhook(account, "/hooks/hubspot");
    {
        const auto db = hub().database();
        ASSERT_EQ(db->execute("UPDATE integrations SET provider = 'hubspot', kind = 'oauth'"
                             " WHERE id = " + TestDatabase::quote(stored.id)),
                  1);
    }
    ASSERT_EQ(integration(account, stored.id).string("provider"), "hubspot");

    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_EQ(jsonSize(published.json, "deliveries"), 1u) << published.describe();

    const auto seen = waitForAttempts(
        account, stored.id,
        [](const auto& list) {
            return !list.empty() && jsonString(list.front(), "status") == "failed";
        },
        kDeliveryWait);
    ASSERT_FALSE(seen.empty()) << "no attempt was recorded";
    EXPECT_EQ(seen.size(), 1u) << "a final failure is not retried: " << attemptsText(seen);
    EXPECT_EQ(jsonString(seen.front(), "status"), "failed") << attemptsText(seen);
    EXPECT_THAT(jsonString(seen.front(), "error"), HasSubstr("hubspot")) << attemptsText(seen);
    EXPECT_THAT(jsonString(seen.front(), "error"), HasSubstr("not live")) << attemptsText(seen);
    EXPECT_FALSE(jsonHas(seen.front(), "responseStatus")) << attemptsText(seen);
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(receiver().count("/hooks/hubspot"), 0u);
}

}  // namespace
}  // namespace smbhub::test
