// A provider written in plain C against abi.h alone (tests/plugins/plain_c_provider.c, compiled
// as C11, no C++ anywhere in it) loads into the hub beside the in-tree webhook plugin, takes its
// operator settings, validates, and delivers a signed request with its own body and header:
// the C contract of SPEC §17 is complete without the C++ SDK.
#include <filesystem>

#include "HubTest.h"
#include "support/SignatureCheck.h"
#include "support/TempDir.h"

#ifndef SMBHUB_TEST_PLUGIN_DIR
#error "SMBHUB_TEST_PLUGIN_DIR must name the folder of tests/plugins (set in tests/CMakeLists.txt)"
#endif

namespace smbhub::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 10s;

class PlainCPluginTest : public HubTest {
protected:
    void SetUp() override {
        fs::copy_file(HubProcess::defaultPluginDir() + "/libsmbhub-webhook.so",
                      plugins_.file("libsmbhub-webhook.so"));
        fs::copy_file(std::string(SMBHUB_TEST_PLUGIN_DIR) + "/libsmbhub-plain-c.so",
                      plugins_.file("libsmbhub-plain-c.so"));
        HubTest::SetUp();
    }

    std::map<std::string, std::string> hubOverrides() const override {
        return {{"plugins.dir", HubConfigYaml::quoted(plugins_.path())},
                {"plugins.enabled", "[webhook, plain-c]"},
                {"plugins.settings", "{plain-c: {label_header: X-Team-Label}}"}};
    }

    ApiResponse createPlainC(const TestAccount& account, const std::string& path,
                             const std::string& settingsJson) {
        return api().post("/api/integrations/webhook",
                          R"({"provider":"plain-c","displayName":"C","targetUrl":)" +
                              jsonQuote(receiver().url(path)) +
                              R"(,"events":["lead.created"],"settings":)" + settingsJson + "}",
                          account.apiKey);
    }

    TempDir plugins_{"smbhub-plugins"};
};

TEST_F(PlainCPluginTest, APluginWrittenInCLoadsValidatesAndDeliversSigned) {
    EXPECT_THAT(hub().logText(), HasSubstr("plugin plain-c 0.1.0 loaded"));
    const TestAccount account = createAccount();
    const ApiResponse providers = api().get("/api/integrations/providers", account.apiKey);
    ASSERT_EQ(providers.status, 200) << providers.describe();
    Poco::Dynamic::Var plainC;
    for (const auto& provider : jsonArray(providers.json, "providers")) {
        if (jsonString(provider, "id") == "plain-c") plainC = provider;
    }
    ASSERT_FALSE(plainC.isEmpty()) << providers.describe();
    EXPECT_EQ(jsonString(plainC, "name"), "Plain C Webhook");
    EXPECT_TRUE(jsonBool(plainC, "available")) << toJsonText(plainC);
    EXPECT_EQ(jsonString(plainC, "settings.0.name"), "label") << toJsonText(plainC);
    EXPECT_EQ(jsonString(plainC, "events.1"), "lead.updated") << toJsonText(plainC);

    const ApiResponse refused = createPlainC(account, "/elsewhere", "{}");
    EXPECT_TRUE(isApiError(refused, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(refused.errorMessage(), HasSubstr("path starts with /c/")) << refused.describe();

    const ApiResponse created = createPlainC(account, "/c/hook", R"({"label":"north"})");
    ASSERT_EQ(created.status, 201) << created.describe();
    const ApiResponse published = publish(account, "lead.created", leadsData(2));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests("/c/hook", 1, kDeliveryWait))
        << "nothing arrived through the C plugin";

    const ReceivedRequest request = receiver().requests("/c/hook").front();
    const Poco::Dynamic::Var body = parseJson(request.body);
    EXPECT_EQ(jsonString(body, "wrappedBy"), "plain-c") << request.body;
    EXPECT_EQ(jsonString(body, "event.id"), published.string("id")) << request.body;
    EXPECT_EQ(jsonString(body, "event.type"), "lead.created") << request.body;
    EXPECT_EQ(request.header("X-Team-Label"), "north") << "the operator's header name, the integration's value";
    EXPECT_EQ(request.header("X-SMB-Event-Id"), published.string("id"));
    const SignatureVerdict verdict = SignatureCheck::verify(
        request.header("X-SMB-Signature"), created.string("signingSecret"), request.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;

    const auto attempts = waitForAttempts(
        account, created.string("id"),
        [](const auto& seen) { return !seen.empty() && jsonString(seen.front(), "status") == "succeeded"; },
        kDeliveryWait);
    ASSERT_FALSE(attempts.empty());
    EXPECT_EQ(jsonString(attempts.front(), "status"), "succeeded") << attemptsText(attempts);
}

}  // namespace
}  // namespace smbhub::test
