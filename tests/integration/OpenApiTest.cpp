// GET /api/openapi.json (SPEC §14) and the document's truth from the outside: the hub serves
// docs/openapi.json without credentials, and a client that calls every operation the document
// lists gets answers its schemas accept. The answers are the ones this test's ApiClient recorded
// (support/ResponseRecorder.h), judged by ajv (tests/openapi/validate-responses.mjs) with
// --require-every-operation: an operation the test did not reach with a success fails it too.
#include <fstream>
#include <sstream>

#include "HubTest.h"
#include "support/ChildProcess.h"
#include "support/ResponseRecorder.h"

#ifndef SMBHUB_NODE_BINARY
#error "SMBHUB_NODE_BINARY must name node (set in tests/CMakeLists.txt)"
#endif

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

std::string fileText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class OpenApiTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"plugins.enabled", "[webhook, hubspot]"},
                {"plugins.settings.hubspot.client_id", HubConfigYaml::quoted("openapi-client")},
                {"plugins.settings.hubspot.client_secret", HubConfigYaml::quoted("openapi-secret")},
                {"plugins.settings.hubspot.redirect_uri",
                 HubConfigYaml::quoted("https://hub.example.com/api/integrations/hubspot/callback")}};
    }

    // Expects `response` to have `status`, saying which call it was otherwise.
    static void expectStatus(const ApiResponse& response, int status, const std::string& call) {
        EXPECT_EQ(response.status, status) << call << ": " << response.describe();
    }
};

TEST_F(OpenApiTest, ServesTheDocumentInTheTreeWithoutCredentials) {
    const ApiResponse served = api().get("/api/openapi.json");
    ASSERT_EQ(served.status, 200) << served.describe();
    EXPECT_EQ(served.header("Content-Type"), "application/json");
    EXPECT_EQ(served.body, fileText(std::string(SMBHUB_SOURCE_DIR) + "/docs/openapi.json"));
    EXPECT_EQ(served.string("openapi").rfind("3.1.", 0), 0u);
}

TEST_F(OpenApiTest, EveryOperationAnswersAsTheDocumentSays) {
    const std::string admin = hub().adminToken();
    const ApiClient client = api();

    // Operations and probes.
    expectStatus(client.get("/healthz"), 200, "healthz");
    expectStatus(client.get("/readyz"), 200, "readyz");
    expectStatus(client.get("/api/openapi.json"), 200, "openapi");

    // Admin: accounts and keys.
    const TestAccount account = createAccount("pro", "Documented Co");
    expectStatus(client.get("/api/admin/accounts?limit=1", admin), 200, "list accounts");
    expectStatus(client.get("/api/admin/accounts/" + account.id, admin), 200, "get account");
    expectStatus(client.patch("/api/admin/accounts/" + account.id, R"({"plan":"growth"})", admin), 200, "patch account");
    const std::string keys = "/api/admin/accounts/" + account.id + "/api-keys";
    const ApiResponse issued = client.post(keys, "{}", admin);
    expectStatus(issued, 201, "issue key");
    expectStatus(client.get(keys, admin), 200, "list keys");
    expectStatus(client.del(keys + "/" + issued.string("id"), admin), 204, "revoke key");

    // Providers and integrations.
    expectStatus(client.get("/api/integrations/providers", account.apiKey), 200, "providers");
    const TestIntegration hook = createWebhook(account, "/hooks/documented");
    expectStatus(client.get("/api/integrations", account.apiKey), 200, "list integrations");
    expectStatus(client.get("/api/integrations/" + hook.id, account.apiKey), 200, "get integration");
    expectStatus(client.patch("/api/integrations/" + hook.id, R"({"displayName":"Renamed"})", account.apiKey), 200,
                 "patch integration");

    // Events and deliveries: one delivery fails for good, then is retried by hand.
    receiver().setBehaviour("/hooks/documented", ReceiverBehaviour::status(500));
    const ApiResponse published = publish(account, "lead.created", leadsData(2));
    expectStatus(published, 202, "publish");
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    waitForAttempts(
        account, hook.id, [](const auto& attempts) { return !attempts.empty() && jsonString(attempts[0], "status") == "failed"; },
        30s);
    expectStatus(client.get("/api/integrations/" + hook.id + "/deliveries", account.apiKey), 200, "delivery log");
    expectStatus(client.get("/api/admin/deliveries/" + deliveryId, admin), 200, "delivery lookup");
    receiver().setBehaviour("/hooks/documented", ReceiverBehaviour());
    expectStatus(client.post("/api/integrations/" + hook.id + "/deliveries/" + deliveryId + "/retry", "", account.apiKey),
                 202, "retry");
    expectStatus(client.post("/api/integrations/" + hook.id + "/test", "", account.apiKey), 202, "test");
    expectStatus(client.post("/api/integrations/" + hook.id + "/push-lead",
                             R"({"lead":{"id":"lead_9","businessName":"Pushed LLC"}})", account.apiKey),
                 202, "push-lead");

    // OAuth: a start, and a callback (with a state that is not one: still the documented 302).
    expectStatus(client.get("/api/integrations/hubspot/start", account.apiKey), 200, "oauth start");
    expectStatus(client.get("/api/integrations/hubspot/callback?state=unknown&code=c"), 302, "oauth callback");

    // Sessions.
    const ApiResponse signedIn = client.post("/api/session", "{\"apiKey\":" + jsonQuote(account.apiKey) + "}");
    expectStatus(signedIn, 200, "sign in");
    expectStatus(client.get("/api/session", account.apiKey), 200, "who is signed in");
    expectStatus(client.del("/api/session"), 204, "sign out");

    // The page.
    expectStatus(client.get("/"), 302, "root");
    expectStatus(client.get("/dashboard"), 200, "dashboard");
    expectStatus(client.get("/dashboard/app.js"), 200, "dashboard file");

    // Some errors too: they must be the Error object the document promises.
    expectStatus(client.get("/api/integrations", "smbk_wrong"), 401, "bad key");
    expectStatus(client.get("/api/admin/accounts/acc_nobody", admin), 404, "no account");
    expectStatus(client.post("/api/events", "{", account.apiKey), 400, "bad JSON");
    expectStatus(client.get("/api/nothing/here"), 404, "no such endpoint");
    expectStatus(client.send({"PUT", "/api/integrations/" + hook.id, std::string("{}"), "application/json",
                              account.apiKey, {}}),
                 405, "wrong method");

    expectStatus(client.del("/api/integrations/" + hook.id, account.apiKey), 204, "delete integration");

    // ajv judges every answer above against the document.
    const std::string recorded = apiResponsesFile();
    ASSERT_FALSE(recorded.empty()) << "recording is off (SMBHUB_API_RESPONSES_DIR)";
    const CommandResult validation = ChildProcess::run(
        SMBHUB_NODE_BINARY,
        {std::string(SMBHUB_SOURCE_DIR) + "/tests/openapi/validate-responses.mjs", "--require-every-operation",
         std::string(SMBHUB_SOURCE_DIR) + "/docs/openapi.json", recorded},
        60s);
    EXPECT_EQ(validation.exitCode, 0) << validation.out << validation.describe()
                                      << "\n(scripts/install-deps.sh installs tests/openapi's npm packages)";
    std::cout << "[          ] " << validation.out;
}

}  // namespace
}  // namespace smbhub::test
