// `smb-hub secrets rotate-key --new-key-file FILE` (SPEC §14): every sealed value (signing
// secrets, secret settings such as Clay's auth token) is re-encrypted under the new key in one
// transaction; after a restart with the new secrets.key every integration still delivers, signed
// with the secret it was created with. A wrong, unreadable or short file changes nothing; running
// it again is safe. On SQLite and PostgreSQL (the suite's two runs).
#include <fstream>

#include "HubTest.h"
#include "support/SignatureCheck.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kClayUrl = "https://api.clay.com/v3/sources/webhook/rotate-key-table";
constexpr const char* kClayPath = "/v3/sources/webhook/rotate-key-table";
// base64 of "fedcba9876543210fedcba9876543210" (32 bytes), not the test config's key.
constexpr const char* kNewKey = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

class RotateKeyTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        const int port = const_cast<RotateKeyTest*>(this)->receiver().port();
        return {{"plugins.enabled", "[webhook, clay]"},
                {"delivery.resolve", "{\"api.clay.com\": " + jsonQuote("127.0.0.1:" + std::to_string(port)) + "}"}};
    }

    std::string writeFile(const std::string& name, const std::string& content) {
        const std::string path = hub().dir().file(name);
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    CommandResult rotate(const std::string& keyFile) {
        return hub().runCli({"secrets", "rotate-key", "--new-key-file", keyFile});
    }

    // Whether one of the header's v1 signatures (a rotation's overlap carries two) is `secret`'s.
    static bool signedBy(const ReceivedRequest& request, const std::string& secret) {
        SignatureHeader parsed;
        if (!SignatureCheck::parse(request.header("X-SMB-Signature"), parsed)) return false;
        const std::string expected = SignatureCheck::expectedV1(secret, parsed.timestamp, request.body);
        return request.header("X-SMB-Signature").find("v1=" + expected) != std::string::npos;
    }

    // Publishes one lead and expects the webhook and the Clay row to arrive, signed with the
    // secrets they were created with and carrying Clay's token; the webhook, mid-rotation, also
    // with its new secret.
    void expectBothDeliver(const TestAccount& account, const TestIntegration& hook, const std::string& claySecret,
                           std::size_t round) {
        const ApiResponse published = publish(account, "lead.created", leadsData(1));
        ASSERT_EQ(published.status, 202) << published.describe();
        ASSERT_TRUE(receiver().waitForRequests("/hooks/rotated", round, 15s))
            << attemptsText(attempts(account, hook.id));
        ASSERT_TRUE(receiver().waitForRequests(kClayPath, round, 15s));
        const ReceivedRequest webhook = receiver().requests("/hooks/rotated").back();
        EXPECT_TRUE(signedBy(webhook, hook.signingSecret)) << "round " << round << ": the previous secret";
        EXPECT_TRUE(signedBy(webhook, rotatedSecret_)) << "round " << round << ": the new secret";
        const ReceivedRequest row = receiver().requests(kClayPath).back();
        EXPECT_TRUE(SignatureCheck::verify(row.header("X-SMB-Signature"), claySecret, row.body)) << "round " << round;
        EXPECT_EQ(row.header("x-clay-webhook-auth"), "clay-token-rotated") << "the secret setting survives";
    }

    std::string rotatedSecret_;  // the webhook's signing secret after its rotation (SPEC §15)
};

TEST_F(RotateKeyTest, EveryIntegrationStillDeliversUnderTheNewKeyAndAWrongFileChangesNothing) {
    const TestAccount account = createAccount();
    const TestIntegration hook = createWebhook(account, "/hooks/rotated");
    const ApiResponse clay = api().post(
        "/api/integrations/webhook",
        std::string(R"({"provider":"clay","displayName":"Leads","targetUrl":")") + kClayUrl +
            R"(","events":["lead.created"],"settings":{"authToken":"clay-token-rotated"}})",
        account.apiKey);
    ASSERT_EQ(clay.status, 201) << clay.describe();
    const std::string claySecret = clay.string("signingSecret");
    // The webhook's signing secret is mid-rotation: its previous one, sealed in its own column,
    // signs beside the new one for a day, and must survive the key's rotation too.
    const ApiResponse rotation = api().post("/api/integrations/" + hook.id + "/rotate-secret", "{}", account.apiKey);
    ASSERT_EQ(rotation.status, 200) << rotation.describe();
    rotatedSecret_ = rotation.string("signingSecret");
    expectBothDeliver(account, hook, claySecret, 1);
    hub().stop();

    // Refused, each saying why; nothing is changed (the hub still delivers with the old key).
    const CommandResult missing = rotate(hub().dir().file("no-such-key"));
    EXPECT_NE(missing.exitCode, 0);
    EXPECT_NE(missing.err.find("cannot read the new key file"), std::string::npos) << missing.describe();
    const CommandResult shortKey = rotate(writeFile("short.key", "c2hvcnQ=\n"));  // "short"
    EXPECT_NE(shortKey.exitCode, 0);
    EXPECT_NE(shortKey.err.find("exactly 32 bytes"), std::string::npos) << shortKey.describe();
    const CommandResult garbage = rotate(writeFile("garbage.key", "not base64 at all!\n"));
    EXPECT_NE(garbage.exitCode, 0);
    EXPECT_NE(garbage.err.find("exactly 32 bytes"), std::string::npos) << garbage.describe();
    const CommandResult same = rotate(writeFile("same.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"));
    EXPECT_NE(same.exitCode, 0);
    EXPECT_NE(same.err.find("current secrets.key"), std::string::npos) << same.describe();
    for (const CommandResult* r : {&missing, &shortKey, &garbage, &same}) {
        EXPECT_NE(r->err.find("nothing was changed"), std::string::npos) << r->describe();
    }
    hub().start();
    expectBothDeliver(account, hook, claySecret, 2);
    hub().stop();

    // The rotation: two integrations, four sealed values (two signing secrets, the webhook's
    // previous one, Clay's settings).
    const std::string keyFile = writeFile("new.key", std::string(kNewKey) + "\n");
    const CommandResult rotated = rotate(keyFile);
    ASSERT_EQ(rotated.exitCode, 0) << rotated.describe();
    EXPECT_NE(rotated.out.find("re-encrypted 4 sealed values (2 integrations)"), std::string::npos) << rotated.out;
    EXPECT_EQ(rotated.out.find(kNewKey), std::string::npos) << "the key is never printed";

    // Started with the new key, everything delivers as before.
    hub().config().set("secrets.key", HubConfigYaml::quoted(kNewKey));
    hub().start();
    expectBothDeliver(account, hook, claySecret, 3);
    hub().stop();

    // Again with the same file (the configuration now has the new key: it is the current one) is
    // refused as a no-op; with the old configuration it finds everything under the new key.
    hub().config().set("secrets.key", HubConfigYaml::quoted("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
    const CommandResult again = rotate(keyFile);
    ASSERT_EQ(again.exitCode, 0) << again.describe();
    EXPECT_NE(again.out.find("re-encrypted 0 sealed values (0 integrations)"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("4 were under it already"), std::string::npos) << again.out;
    hub().config().set("secrets.key", HubConfigYaml::quoted(kNewKey));
    hub().start();
    expectBothDeliver(account, hook, claySecret, 4);
}

}  // namespace
}  // namespace smbhub::test
