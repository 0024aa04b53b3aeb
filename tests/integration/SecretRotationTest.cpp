// Rotating an integration's signing secret without a gap (SPEC §15): POST …/rotate-secret gives
// a new secret, shown once; until previousSecretExpiresAt every delivery is signed with both
// (new first: X-SMB-Signature t=…,v1=<new>,v1=<old> and webhook-signature "v1,<new> v1,<old>"),
// so a receiver can switch whenever it likes; after it, with the new one only — without a
// restart. Checked before, during and after the overlap with every verifier a receiver uses: our
// independent OpenSSL checks of both headers, the seed's snippet (run for each v1, as
// docs/signatures.md says), and the npm `standardwebhooks`, `svix` and `stripe` libraries.
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "HubTest.h"
#include "support/NodeVerifier.h"
#include "support/ReceiverLibraries.h"
#include "support/SignatureCheck.h"
#include "support/StandardWebhooksCheck.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 15s;

// The entries of one header split on `separator`, each trimmed, keeping those starting with
// `prefix` (without it).
std::vector<std::string> entries(const std::string& header, char separator, const std::string& prefix) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        std::size_t end = header.find(separator, start);
        if (end == std::string::npos) end = header.size();
        std::string entry = header.substr(start, end - start);
        entry.erase(0, entry.find_first_not_of(' '));
        entry.erase(entry.find_last_not_of(' ') + 1);
        if (entry.rfind(prefix, 0) == 0) out.push_back(entry.substr(prefix.size()));
        start = end + 1;
    }
    return out;
}

std::vector<std::string> smbV1s(const ReceivedRequest& r) { return entries(r.header("X-SMB-Signature"), ',', "v1="); }
std::vector<std::string> webhookSignatures(const ReceivedRequest& r) {
    return entries(r.header("webhook-signature"), ' ', "v1,");
}

// Unix ms of an ISO time the hub wrote ("2026-11-27T02:14:01.123Z").
std::int64_t isoMillis(const std::string& text) {
    int zone = 0;
    const Poco::DateTime parsed = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, zone);
    return parsed.timestamp().epochMicroseconds() / 1000 - zone * 1000LL;
}

std::int64_t wallMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class SecretRotationTest : public HubTest {
protected:
    // Publishes one lead.created and returns the request that reached `path`.
    ReceivedRequest deliverOne(const TestAccount& account, const TestIntegration& integration) {
        const std::size_t before = receiver().count(integration.path);
        const ApiResponse published = publish(account, "lead.created", leadsData(1));
        if (published.status != 202) throw std::runtime_error("publish: " + published.describe());
        if (!receiver().waitForRequests(integration.path, before + 1, kDeliveryWait)) {
            throw std::runtime_error("no delivery arrived: " + attemptsText(attempts(account, integration.id)));
        }
        return receiver().requests(integration.path).at(before);
    }

    ApiResponse rotate(const TestAccount& account, const std::string& id, const std::string& body) {
        return api().post("/api/integrations/" + id + "/rotate-secret", body, account.apiKey);
    }

    // Whether `secret` verifies `request` — expected `verifies` — by every verifier: both
    // headers by our own checks, the seed's snippet, standardwebhooks, svix and stripe-node.
    void expectVerification(const std::string& what, const ReceivedRequest& request, const std::string& secret,
                            bool verifies) {
        SCOPED_TRACE(what + " (" + (verifies ? "must verify" : "must not verify") + ")\n  X-SMB-Signature: " +
                     request.header("X-SMB-Signature") + "\n  webhook-signature: " +
                     request.header("webhook-signature"));
        SignatureHeader header;
        ASSERT_TRUE(SignatureCheck::parse(request.header("X-SMB-Signature"), header));
        const auto v1s = smbV1s(request);
        const bool smbMatches =
            std::count(v1s.begin(), v1s.end(), SignatureCheck::expectedV1(secret, header.timestamp, request.body)) == 1;
        EXPECT_EQ(smbMatches, verifies) << "our X-SMB-Signature check";
        const auto signatures = webhookSignatures(request);
        const std::string expected = StandardWebhooksCheck::expectedSignature(
            secret, request.header("webhook-id"), request.header("webhook-timestamp"), request.body);
        const bool webhookMatches = std::count(signatures.begin(), signatures.end(), expected.substr(3)) == 1;
        EXPECT_EQ(webhookMatches, verifies) << "our webhook-signature check";

        const NodeVerdict seed = NodeVerifier::verify(secret, request.header("X-SMB-Signature"), request.body);
        EXPECT_EQ(seed.verified, verifies) << "the seed's snippet: " << seed.output;
        const auto verdicts = ReceiverLibraries::verify({{what, secret, request, ""}});
        ASSERT_EQ(verdicts.size(), 1u);
        for (const std::string& library : ReceiverLibraries::names()) {
            EXPECT_EQ(verdicts[0].outcome(library) == "ok", verifies) << library << ": " << verdicts[0].outcome(library);
            EXPECT_NE(verdicts[0].outcome(library + ":tamperedBody"), "ok") << library << " took a changed body";
            EXPECT_NE(verdicts[0].outcome(library + ":otherSecret"), "ok") << library << " took another secret";
        }
    }
};

TEST_F(SecretRotationTest, BothSecretsSignDuringTheOverlapAndOnlyTheNewOneAfterIt) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/rotating");
    const std::string first = integration.signingSecret;

    // Before: one secret, one signature in each header.
    const ReceivedRequest before = deliverOne(account, integration);
    EXPECT_EQ(smbV1s(before).size(), 1u);
    EXPECT_EQ(webhookSignatures(before).size(), 1u);
    expectVerification("before the rotation, the first secret", before, first, true);

    // Rotation with the default overlap of 24 hours.
    const auto rotatedAt = wallMillis();
    const ApiResponse rotated = rotate(account, integration.id, "{}");
    ASSERT_EQ(rotated.status, 200) << rotated.describe();
    const std::string second = rotated.string("signingSecret");
    EXPECT_TRUE(StandardWebhooksCheck::isStandardSecret(second)) << second;
    EXPECT_NE(second, first);
    const std::int64_t firstExpires = isoMillis(rotated.string("previousSecretExpiresAt"));
    EXPECT_NEAR(static_cast<double>(firstExpires - rotatedAt), 86'400'000.0, 60'000.0);
    const ApiResponse shown = api().get("/api/integrations/" + integration.id, account.apiKey);
    EXPECT_EQ(shown.string("previousSecretExpiresAt"), rotated.string("previousSecretExpiresAt"));
    EXPECT_FALSE(jsonHas(shown.json, "signingSecret")) << "the secret is shown only once";
    EXPECT_EQ(hub().logText().find(second), std::string::npos) << "the new secret was logged";

    // During the overlap: new first, then old; each verifies in every verifier.
    const ReceivedRequest during = deliverOne(account, integration);
    ASSERT_EQ(smbV1s(during).size(), 2u);
    ASSERT_EQ(webhookSignatures(during).size(), 2u);
    SignatureHeader header;
    ASSERT_TRUE(SignatureCheck::parse(during.header("X-SMB-Signature"), header));
    EXPECT_EQ(smbV1s(during)[0], SignatureCheck::expectedV1(second, header.timestamp, during.body)) << "new first";
    EXPECT_EQ(smbV1s(during)[1], SignatureCheck::expectedV1(first, header.timestamp, during.body));
    EXPECT_EQ("v1," + webhookSignatures(during)[0],
              StandardWebhooksCheck::expectedSignature(second, during.header("webhook-id"),
                                                       during.header("webhook-timestamp"), during.body));
    expectVerification("during the overlap, the new secret", during, second, true);
    expectVerification("during the overlap, the old secret", during, first, true);

    // A second rotation, with a short overlap: the first secret stops at once (only the secret
    // a rotation replaces overlaps), the second one two seconds later.
    const ApiResponse again = rotate(account, integration.id, R"({"overlapSeconds": 2})");
    ASSERT_EQ(again.status, 200) << again.describe();
    const std::string third = again.string("signingSecret");
    const std::int64_t secondExpires = isoMillis(again.string("previousSecretExpiresAt"));
    const ReceivedRequest soon = deliverOne(account, integration);
    expectVerification("after the second rotation, the newest secret", soon, third, true);
    expectVerification("after the second rotation, the first secret", soon, first, false);

    // After the overlap, without a restart: the new secret alone.
    while (wallMillis() <= secondExpires + 100) std::this_thread::sleep_for(50ms);
    const ReceivedRequest after = deliverOne(account, integration);
    EXPECT_EQ(smbV1s(after).size(), 1u) << after.header("X-SMB-Signature");
    EXPECT_EQ(webhookSignatures(after).size(), 1u) << after.header("webhook-signature");
    expectVerification("after the overlap, the new secret", after, third, true);
    expectVerification("after the overlap, the replaced secret", after, second, false);
    const ApiResponse later = api().get("/api/integrations/" + integration.id, account.apiKey);
    EXPECT_FALSE(jsonHas(later.json, "previousSecretExpiresAt")) << later.describe();
}

TEST_F(SecretRotationTest, AZeroOverlapReplacesTheSecretAtOnce) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/at-once");
    const ApiResponse rotated = rotate(account, integration.id, R"({"overlapSeconds": 0})");
    ASSERT_EQ(rotated.status, 200) << rotated.describe();
    const std::string secret = rotated.string("signingSecret");
    const ReceivedRequest request = deliverOne(account, integration);
    EXPECT_EQ(smbV1s(request).size(), 1u);
    expectVerification("the new secret", request, secret, true);
    expectVerification("the replaced secret", request, integration.signingSecret, false);
}

TEST_F(SecretRotationTest, BadOverlapsAndOtherAccountsAreRefused) {
    const TestAccount account = createAccount();
    const TestAccount other = createAccount("pro", "Other Co");
    const TestIntegration integration = createWebhook(account, "/hooks/kept");
    for (const std::string body : {R"({"overlapSeconds": -1})", R"({"overlapSeconds": 604801})",
                                   R"({"overlapSeconds": "3600"})", R"({"overlapSeconds": 1.5})"}) {
        EXPECT_TRUE(isApiError(rotate(account, integration.id, body), 400, "invalid_request", "overlapSeconds"))
            << body;
    }
    EXPECT_TRUE(isApiError(rotate(account, integration.id, R"({"overlap": 60})"), 400, "invalid_request", "overlap"));
    EXPECT_TRUE(isApiError(rotate(other, integration.id, "{}"), 404, "not_found"));
    EXPECT_TRUE(isApiError(rotate(account, "int_missing", "{}"), 404, "not_found"));
    const ApiResponse longest = rotate(account, integration.id, R"({"overlapSeconds": 604800})");
    EXPECT_EQ(longest.status, 200) << longest.describe();

    // Refusals changed nothing; the accepted rotation kept the original secret signing beside it.
    const ReceivedRequest request = deliverOne(account, integration);
    expectVerification("the original secret, in its 7-day overlap", request, integration.signingSecret, true);
    expectVerification("the new secret", request, longest.string("signingSecret"), true);
}

}  // namespace
}  // namespace smbhub::test
