// SPEC §14's log, read the way a log pipeline would: `log.format: json` gives one JSON object
// per line, and at `information` the hub says when it starts and stops, which plugins it loaded
// or refused, every failed attempt (integration, delivery, attempt, status) and every
// integration it disabled and why — and never a payload, a target URL or a secret.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "HubTest.h"
#include "support/Eventually.h"
#include "support/TempDir.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class LogTest : public HubTest {
protected:
    void SetUp() override {
        // The real webhook plugin, and a "plugin" that is no library at all: refused.
        fs::copy_file(HubProcess::defaultPluginDir() + "/libsmbhub-webhook.so", plugins_.file("libsmbhub-webhook.so"));
        std::ofstream(plugins_.file("libsmbhub-broken.so")) << "not a shared library\n";
        HubTest::SetUp();
    }

    std::map<std::string, std::string> hubOverrides() const override {
        return {{"log.format", "json"},
                {"plugins.dir", HubConfigYaml::quoted(plugins_.path())},
                {"plugins.enabled", "[webhook, broken]"},
                // One delivery that fails every attempt disables its integration.
                {"delivery.disable_after_failed_deliveries", "1"}};
    }

    // Every line of the log as JSON; a line that is not a JSON object fails the test.
    std::vector<Poco::Dynamic::Var> jsonLines() {
        std::vector<Poco::Dynamic::Var> out;
        std::istringstream in(hub().logText());
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            const Poco::Dynamic::Var json = parseJson(line);
            EXPECT_FALSE(json.isEmpty()) << "not JSON: " << line;
            if (json.isEmpty()) continue;
            for (const char* member : {"time", "level", "logger", "message"}) {
                EXPECT_FALSE(jsonString(json, member).empty()) << member << " missing: " << line;
            }
            out.push_back(json);
        }
        return out;
    }

    static std::vector<Poco::Dynamic::Var> withEvent(const std::vector<Poco::Dynamic::Var>& lines,
                                                     const std::string& event) {
        std::vector<Poco::Dynamic::Var> out;
        for (const auto& line : lines) {
            if (jsonString(line, "event") == event) out.push_back(line);
        }
        return out;
    }

    static bool anyMessage(const std::vector<Poco::Dynamic::Var>& lines, const std::string& text) {
        for (const auto& line : lines) {
            if (jsonString(line, "message").find(text) != std::string::npos) return true;
        }
        return false;
    }

    TempDir plugins_{"smbhub-log-plugins"};
};

TEST_F(LogTest, JsonLinesTellStartStopPluginsFailedAttemptsAndDisablesWithoutSecrets) {
    const TestAccount account = createAccount();
    const std::string path = "/hooks/secret-path-a1b2c3";  // a URL can be a credential (Zapier's are)
    const TestIntegration hook = createWebhook(account, path);
    receiver().setBehaviour(path, ReceiverBehaviour::status(500, "receiver-body-marker"));
    const std::string payloadMarker = "payload-marker-9f8e7d";
    const ApiResponse published = publish(
        account, "lead.created",
        R"({"leads":[{"id":"lead_1","businessName":")" + payloadMarker + R"(","email":"o@example.com"}]})");
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");

    ASSERT_TRUE(eventually(
        [&] {
            return api().get("/api/integrations/" + hook.id, account.apiKey).string("status") == "disabled";
        },
        30s))
        << "the integration was not disabled";
    hub().stop();

    const auto lines = jsonLines();
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(anyMessage(lines, "starting")) << hub().logText();
    EXPECT_TRUE(anyMessage(lines, "listening on http://")) << hub().logText();
    EXPECT_TRUE(anyMessage(lines, "stopped")) << hub().logText();

    const auto loaded = withEvent(lines, "plugin_loaded");
    ASSERT_EQ(loaded.size(), 1u) << hub().logText();
    EXPECT_EQ(jsonString(loaded[0], "plugin"), "webhook");
    EXPECT_EQ(jsonString(loaded[0], "level"), "information");
    const auto refused = withEvent(lines, "plugin_refused");
    ASSERT_EQ(refused.size(), 1u) << hub().logText();
    EXPECT_NE(jsonString(refused[0], "file").find("libsmbhub-broken.so"), std::string::npos);
    EXPECT_FALSE(jsonString(refused[0], "reason").empty());

    // Four attempts (the test schedule has three retries), each a line with its numbers.
    const auto failed = withEvent(lines, "attempt_failed");
    ASSERT_EQ(failed.size(), 4u) << hub().logText();
    for (std::size_t i = 0; i < failed.size(); ++i) {
        const auto& line = failed[i];
        EXPECT_EQ(jsonString(line, "deliveryId"), deliveryId);
        EXPECT_EQ(jsonString(line, "integrationId"), hook.id);
        EXPECT_EQ(jsonString(line, "eventId"), published.string("id"));
        EXPECT_EQ(jsonInt(line, "attempt"), static_cast<long long>(i + 1));
        EXPECT_EQ(jsonInt(line, "responseStatus"), 500);
        const bool last = i + 1 == failed.size();
        EXPECT_EQ(jsonString(line, "deliveryStatus"), last ? "failed" : "pending");
        EXPECT_EQ(jsonHas(line, "nextAttemptAt"), !last);
        EXPECT_EQ(jsonString(line, "level"), last ? "warning" : "information");
        EXPECT_NE(jsonString(line, "message").find("attempt " + std::to_string(i + 1) + " failed (HTTP 500)"),
                  std::string::npos)
            << jsonString(line, "message");
    }
    const auto disabled = withEvent(lines, "integration_disabled");
    ASSERT_EQ(disabled.size(), 1u) << hub().logText();
    EXPECT_EQ(jsonString(disabled[0], "integrationId"), hook.id);
    EXPECT_NE(jsonString(disabled[0], "reason").find("consecutive"), std::string::npos);
    EXPECT_EQ(jsonString(disabled[0], "level"), "warning");

    // Nothing a customer or receiver sent, and no secret.
    const std::string log = hub().logText();
    for (const std::string& secret : {payloadMarker, std::string("receiver-body-marker"), path, hook.signingSecret,
                                      account.apiKey, hub().adminToken(), hub().sessionSecret()}) {
        EXPECT_EQ(log.find(secret), std::string::npos) << "the log contains " << secret;
    }
}

}  // namespace
}  // namespace smbhub::test
