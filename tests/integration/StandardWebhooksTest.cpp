// Receivers verify real deliveries with the libraries they already know (SPEC §15, issue 13):
// every request the hub sends carries webhook-id (the delivery id), webhook-timestamp (the same t
// as X-SMB-Signature) and webhook-signature, which the `standardwebhooks` and `svix` 1.x npm
// packages accept through their Webhook.verify unchanged; X-SMB-Signature still verifies with the
// seed's Node.js snippet, and stripe-node's constructEvent takes it as it is. Checked for the
// generic webhook provider (one request per delivery, retries included) and for Clay (one
// request per row), with each library refusing a changed body and another secret.
//
// Set SMBHUB_CAPTURE_DELIVERIES=<folder> to have the requests written there as text (the
// examples in docs/events.md and docs/providers.md were captured so).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "HubTest.h"
#include "support/NodeVerifier.h"
#include "support/ReceiverLibraries.h"
#include "support/SecretsAtRest.h"
#include "support/SignatureCheck.h"
#include "support/StandardWebhooksCheck.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;
using ::testing::MatchesRegex;

constexpr auto kDeliveryWait = 10s;
constexpr const char* kClayUrl = "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-7f3a";
constexpr const char* kClayPath = "/v3/sources/webhook/pull-in-data-from-a-webhook-7f3a";

std::string tOf(const std::string& smbSignature) {
    SignatureHeader parsed;
    return SignatureCheck::parse(smbSignature, parsed) ? parsed.timestamp : "";
}

void captureIfAsked(const std::string& name, const ApiResponse& created,
                    const std::vector<ReceivedRequest>& requests) {
    const char* folder = std::getenv("SMBHUB_CAPTURE_DELIVERIES");
    if (!folder || !*folder) return;
    std::ofstream out(std::string(folder) + "/" + name + ".http", std::ios::binary);
    out << "# created: " << created.body << "\n";
    for (const auto& request : requests) {
        out << request.method << " " << request.path << (request.query.empty() ? "" : "?" + request.query)
            << " HTTP/1.1\n";
        for (const auto& [header, value] : request.headers) out << header << ": " << value << "\n";
        out << "\n" << request.body << "\n\n";
    }
}

class StandardWebhooksTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        // HubTest::SetUp starts the receiver before it asks for the configuration.
        const int port = const_cast<StandardWebhooksTest*>(this)->receiver().port();
        const std::string here = jsonQuote("127.0.0.1:" + std::to_string(port));
        return {{"plugins.enabled", "[webhook, clay]"},
                {"delivery.resolve", "{\"api.clay.com\": " + here + ", \"example.com\": " + here + "}"}};
    }

    // POST /api/integrations/webhook; throws with the hub's answer unless 201.
    ApiResponse createIntegration(const TestAccount& account, const std::string& provider,
                                  const std::string& displayName, const std::string& targetUrl,
                                  const std::string& events, const std::string& settings = "{}") {
        const ApiResponse created = api().post(
            "/api/integrations/webhook",
            "{\"provider\":" + jsonQuote(provider) + ",\"displayName\":" + jsonQuote(displayName) +
                ",\"targetUrl\":" + jsonQuote(targetUrl) + ",\"events\":" + events +
                ",\"settings\":" + settings + "}",
            account.apiKey);
        if (created.status != 201) throw std::runtime_error("creating " + provider + ": " + created.describe());
        return created;
    }

    // The checks every delivered request must pass, by every verifier we have: the Standard
    // Webhooks headers' shape and agreement with X-SMB-*, the independent OpenSSL checks of both
    // signatures, the seed's snippet, and the three npm libraries (with their controls).
    void expectVerifiesEverywhere(const std::string& what, const std::string& secret,
                                  const std::vector<ReceivedRequest>& requests) {
        std::vector<DeliveryToVerify> batch;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const ReceivedRequest& request = requests[i];
            const std::string label = what + " request " + std::to_string(i + 1);
            SCOPED_TRACE(label + ": " + request.body);
            const std::string smbSignature = request.header("X-SMB-Signature");
            EXPECT_EQ(request.header("webhook-id"), request.header("X-SMB-Delivery"));
            EXPECT_EQ(request.header("webhook-timestamp"), tOf(smbSignature)) << smbSignature;
            EXPECT_THAT(request.header("webhook-signature"), MatchesRegex("v1,[A-Za-z0-9+/]{43}="))
                << "one signature while there is one secret";
            const auto arrived = std::chrono::duration_cast<std::chrono::seconds>(
                                     request.arrivedAtWall.time_since_epoch()).count();
            EXPECT_NEAR(std::stoll("0" + request.header("webhook-timestamp")), arrived, 300);

            const SignatureVerdict smb = SignatureCheck::verify(smbSignature, secret, request.body);
            EXPECT_TRUE(smb.valid) << smb.reason;
            EXPECT_EQ(request.header("webhook-signature"),
                      StandardWebhooksCheck::expectedSignature(secret, request.header("webhook-id"),
                                                               request.header("webhook-timestamp"),
                                                               request.body));
            const NodeVerdict seed = NodeVerifier::verify(secret, smbSignature, request.body);
            EXPECT_TRUE(seed.verified) << "the seed's snippet: " << seed.output;
            batch.push_back({label, secret, request, ""});
        }
        for (const LibraryVerdicts& verdict : ReceiverLibraries::verify(batch)) {
            EXPECT_EQ(verdict.problems(), "") << verdict.label;
        }
    }
};

TEST_F(StandardWebhooksTest, NewSecretsAreWhsecAndStandardBase64Of32Bytes) {
    const TestAccount account = createAccount();
    std::set<std::string> secrets;
    for (int i = 0; i < 5; ++i) {
        const TestIntegration integration = createWebhook(account, "/hooks/format");
        EXPECT_TRUE(StandardWebhooksCheck::isStandardSecret(integration.signingSecret))
            << integration.signingSecret;
        secrets.insert(integration.signingSecret);
    }
    EXPECT_EQ(secrets.size(), 5u);
}

TEST_F(StandardWebhooksTest, WebhookDeliveriesVerifyWithStandardWebhooksSvixStripeAndTheSeedSnippet) {
    const TestAccount account = createAccount();
    // At example.com (resolved to the receiver), as in the docs' examples captured from this test.
    const ApiResponse created = createIntegration(account, "webhook", "My hook", "https://example.com/smb",
                                                  R"(["lead.created","lead.updated","export.completed"])");
    const std::string secret = created.string("signingSecret");
    ASSERT_EQ(publish(account, "lead.created", leadsData(3)).status, 202);
    ASSERT_EQ(publish(account, "export.completed",
                      R"({"exportId":"exp_42","rowCount":3,"format":"csv","note":"caf\u00e9 \u2713"})")
                  .status,
              202);
    ASSERT_TRUE(receiver().waitForRequests("/smb", 2, kDeliveryWait))
        << attemptsText(attempts(account, created.string("id")));
    const auto requests = receiver().requests("/smb");
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(requests[0].header("webhook-id"), requests[1].header("webhook-id"));
    captureIfAsked("webhook", created, requests);
    expectVerifiesEverywhere("webhook", secret, requests);
}

TEST_F(StandardWebhooksTest, RetriesKeepTheWebhookIdAndAreSignedAgainAtTheirOwnTimestamp) {
    const TestAccount account = createAccount();
    receiver().setBehaviour("/hooks/flaky", ReceiverBehaviour::failFirst(2, 500));
    const TestIntegration integration = createWebhook(account, "/hooks/flaky");
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests("/hooks/flaky", 3, kDeliveryWait))
        << attemptsText(attempts(account, integration.id));
    const auto requests = receiver().requests("/hooks/flaky");
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    for (std::size_t i = 0; i < requests.size(); ++i) {
        EXPECT_EQ(requests[i].header("webhook-id"), deliveryId) << "attempt " << i + 1;
        EXPECT_EQ(requests[i].header("X-SMB-Attempt"), std::to_string(i + 1));
        EXPECT_EQ(requests[i].body, requests[0].body) << "every attempt sends the same bytes";
    }
    expectVerifiesEverywhere("retried webhook", integration.signingSecret, requests);
}

TEST_F(StandardWebhooksTest, ClayRowsVerifyOneByOneWithEveryLibrary) {
    const TestAccount account = createAccount();
    const ApiResponse created = createIntegration(account, "clay", "Leads table", kClayUrl, R"(["lead.created"])",
                                                  R"({"authToken":"clay-token-1"})");
    const std::string secret = created.string("signingSecret");
    EXPECT_TRUE(StandardWebhooksCheck::isStandardSecret(secret)) << secret;

    const ApiResponse published = publish(account, "lead.created", leadsData(3));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 3, kDeliveryWait))
        << attemptsText(attempts(account, created.string("id")));
    const auto rows = receiver().requests(kClayPath);
    ASSERT_EQ(rows.size(), 3u);
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    std::set<std::string> bodies;
    std::set<std::string> signatures;
    for (const auto& row : rows) {
        // One delivery, so one webhook-id for all its rows; each row signed over its own body.
        EXPECT_EQ(row.header("webhook-id"), deliveryId);
        EXPECT_EQ(row.header("x-clay-webhook-auth"), "clay-token-1");
        bodies.insert(row.body);
        signatures.insert(row.header("webhook-signature"));
    }
    EXPECT_EQ(bodies.size(), 3u);
    EXPECT_EQ(signatures.size(), 3u);
    captureIfAsked("clay", created, rows);
    expectVerifiesEverywhere("clay", secret, rows);
}

// An integration made before Standard Webhooks has a "whsec_" + unpadded base64url secret. It
// keeps working: X-SMB-Signature as before (the whole string is the key; the seed's snippet and
// stripe-node take it as it is), and webhook-signature is keyed by the same 32 bytes decoded as
// base64url, so the libraries verify it once the secret is converted as docs/signatures.md shows
// — and, given the older string as it is, Node's libraries refuse it (the docs say so too).
TEST_F(StandardWebhooksTest, AnIntegrationWithAnOlderBase64UrlSecretStillVerifies) {
    // The same 32 bytes in both forms (the vectors of docs/signatures.md); the older one has the
    // URL-safe '-' and '_' that standard decoders refuse.
    const std::string older = "whsec_----Pp96ASNFZ4mrze_-3LqYdlQyEP_-_fwAESIzRFU";
    const std::string converted = "whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=";
    const TestAccount account = createAccount();
    const ApiResponse created = createIntegration(account, "webhook", "Older hook",
                                                  "https://example.com/older", R"(["lead.created"])");
    const std::string id = created.string("id");
    // Stored as a hub before issue 13 stored it, before the first delivery loads it.
    ASSERT_EQ(hub().database()->execute(
                  "UPDATE integrations SET signing_secret = " +
                  TestDatabase::quote(SecretsAtRest::seal(older, HubProcess::testSecretsKey(), "signing:" + id)) +
                  " WHERE id = " + TestDatabase::quote(id)),
              1);

    ASSERT_EQ(publish(account, "lead.created", leadsData(2)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/older", 1, kDeliveryWait)) << attemptsText(attempts(account, id));
    const ReceivedRequest request = receiver().requests("/older").front();

    const SignatureVerdict smb = SignatureCheck::verify(request.header("X-SMB-Signature"), older, request.body);
    EXPECT_TRUE(smb.valid) << smb.reason;
    const NodeVerdict seed = NodeVerifier::verify(older, request.header("X-SMB-Signature"), request.body);
    EXPECT_TRUE(seed.verified) << seed.output;
    EXPECT_EQ(request.header("webhook-signature"),
              StandardWebhooksCheck::expectedSignature(converted, request.header("webhook-id"),
                                                       request.header("webhook-timestamp"), request.body));

    const auto verdicts = ReceiverLibraries::verify({{"converted", older, request, converted},
                                                     {"as it is", older, request, older}});
    EXPECT_EQ(verdicts[0].problems(), "") << "stripe-node with the older secret, the libraries with it converted";
    for (const char* library : {"standardwebhooks", "svix"}) {
        EXPECT_THAT(verdicts[1].outcome(library), ::testing::HasSubstr("incorrect characters"))
            << library << " given the older secret as it is";
    }
    EXPECT_EQ(verdicts[1].outcome("stripe"), "ok");
}

}  // namespace
}  // namespace smbhub::test
