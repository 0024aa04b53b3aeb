// Who may call the integration API (SPEC §5): API keys, the dashboard's session cookie, paid
// plans, suspended accounts, and the rule that another account's integration does not exist.
#include <chrono>
#include <thread>

#include "HubTest.h"
#include "support/SessionToken.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class AuthTest : public HubTest {
protected:
    HttpHeaders sessionCookie(const std::string& jwt) const {
        return {{"Cookie", SessionToken::cookie(jwt)}};
    }
};

TEST_F(AuthTest, NoCredentialsIsUnauthorized) {
    EXPECT_TRUE(isApiError(api().get("/api/integrations"), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(
        api().post("/api/events", R"({"type":"lead.created","data":{"leads":[]}})"), 401,
        "unauthorized"));
    EXPECT_TRUE(isApiError(api().post("/api/admin/accounts", R"({"name":"X","plan":"pro"})"), 401,
                           "unauthorized"));
}

TEST_F(AuthTest, UnknownApiKeyIsUnauthorized) {
    createAccount();
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "smbk_notarealkey0123456789"), 401,
                           "unauthorized"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "not-even-a-key"), 401, "unauthorized"));
}

TEST_F(AuthTest, AccountCredentialCannotUseAdminEndpoints) {
    const TestAccount account = createAccount();
    const ApiResponse response =
        api().post("/api/admin/accounts", R"({"name":"Sneaky","plan":"enterprise"})",
                   account.apiKey);
    EXPECT_TRUE(response.status == 401 || response.status == 403) << response.describe();
    EXPECT_TRUE(response.errorCode() == "unauthorized" || response.errorCode() == "forbidden")
        << response.describe();
    EXPECT_FALSE(response.body.find("apiKey") != std::string::npos) << response.describe();
    // Refused means nothing was made: the only account is still the caller's own.
    const auto accounts = hub().database()->query("SELECT id, name, plan FROM accounts");
    std::string names;
    for (const auto& row : accounts) names += row[1] + "; ";
    ASSERT_EQ(accounts.size(), 1u) << names;
    EXPECT_EQ(accounts[0][0], account.id);
    EXPECT_EQ(accounts[0][2], "pro");
}

TEST_F(AuthTest, FreePlanIsRefusedWithPlanRequired) {
    const TestAccount account = createAccount("free");
    EXPECT_TRUE(isApiError(api().get("/api/integrations", account.apiKey), 403, "plan_required"));
    EXPECT_TRUE(isApiError(
        api().post("/api/integrations/webhook",
                   R"({"provider":"webhook","displayName":"x","targetUrl":")" +
                       receiver().url("/hooks/free") + R"(","events":["lead.created"]})",
                   account.apiKey),
        403, "plan_required"));
}

TEST_F(AuthTest, SuspendedAccountIsRefusedWithPlanRequired) {
    const TestAccount account = createAccount();
    ASSERT_EQ(api().get("/api/integrations", account.apiKey).status, 200);

    const CommandResult suspended =
        hub().runCli({"account", "set", "--id", account.id, "--status", "suspended"});
    ASSERT_EQ(suspended.exitCode, 0) << suspended.describe();

    EXPECT_TRUE(isApiError(api().get("/api/integrations", account.apiKey), 403, "plan_required"));

    const CommandResult reactivated =
        hub().runCli({"account", "set", "--id", account.id, "--status", "active"});
    ASSERT_EQ(reactivated.exitCode, 0) << reactivated.describe();
    EXPECT_EQ(api().get("/api/integrations", account.apiKey).status, 200);
}

// The admin token publishes for any account, but an account whose integrations are out of
// service (not on a paid plan, or suspended) gets nothing published: the same 403 as its own key.
TEST_F(AuthTest, AdminTokenCannotPublishForAnAccountOffAPaidPlanOrSuspended) {
    const TestAccount free = createAccount("free", "Free Co");
    const TestAccount paying = createAccount("pro", "Paying Co");
    auto publishFor = [&](const TestAccount& account) {
        return api().post("/api/events",
                          R"({"type":"lead.created","accountId":")" + account.id +
                              R"(","data":)" + leadsData(1) + "}",
                          hub().adminToken());
    };
    EXPECT_TRUE(isApiError(publishFor(free), 403, "plan_required"));
    EXPECT_EQ(publishFor(paying).status, 202);

    // Through the hub's own admin API, so its account cache cannot still hold "active".
    const ApiResponse suspended = api().patch("/api/admin/accounts/" + paying.id,
                                              R"({"status":"suspended"})", hub().adminToken());
    ASSERT_EQ(suspended.status, 200) << suspended.describe();
    EXPECT_TRUE(isApiError(publishFor(paying), 403, "plan_required"));
}

TEST_F(AuthTest, AnotherAccountsIntegrationIsNotFound) {
    const TestAccount owner = createAccount("pro", "Owner Co");
    const TestAccount stranger = createAccount("pro", "Stranger Co");
    const TestIntegration integration = createWebhook(owner, "/hooks/private");
    const std::string path = "/api/integrations/" + integration.id;

    EXPECT_TRUE(isApiError(api().get(path, stranger.apiKey), 404, "not_found"));
    EXPECT_TRUE(isApiError(api().patch(path, R"({"displayName":"mine now"})", stranger.apiKey),
                           404, "not_found"));
    EXPECT_TRUE(isApiError(api().get(path + "/deliveries", stranger.apiKey), 404, "not_found"));
    EXPECT_TRUE(isApiError(api().post(path + "/test", "{}", stranger.apiKey), 404, "not_found"));
    EXPECT_TRUE(isApiError(api().del(path, stranger.apiKey), 404, "not_found"));

    const ApiResponse list = api().get("/api/integrations", stranger.apiKey);
    ASSERT_EQ(list.status, 200) << list.describe();
    EXPECT_EQ(jsonSize(list.json, "integrations"), 0u) << list.describe();

    const ApiResponse stillThere = api().get(path, owner.apiKey);
    ASSERT_EQ(stillThere.status, 200) << stillThere.describe();
    EXPECT_EQ(stillThere.string("displayName"), "Receiver /hooks/private");
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(receiver().count("/hooks/private"), 0u) << "the stranger's test call sent nothing";
}

TEST_F(AuthTest, SessionCookieAuthenticatesTheAccount) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/cookie");
    const std::string jwt = SessionToken::sign(hub().sessionSecret(), account.id,
                                               std::chrono::system_clock::now() + 1h);

    const ApiResponse response = api().get("/api/integrations", "", sessionCookie(jwt));
    ASSERT_EQ(response.status, 200) << response.describe();
    ASSERT_EQ(jsonSize(response.json, "integrations"), 1u) << response.describe();
    EXPECT_EQ(jsonString(response.json, "integrations.0.id"), integration.id);
}

TEST_F(AuthTest, ExpiredSessionCookieIsUnauthorized) {
    const TestAccount account = createAccount();
    const std::string jwt = SessionToken::sign(hub().sessionSecret(), account.id,
                                               std::chrono::system_clock::now() - 1min);
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", sessionCookie(jwt)), 401,
                           "unauthorized"));
}

TEST_F(AuthTest, SessionCookieSignedWithAnotherSecretIsUnauthorized) {
    const TestAccount account = createAccount();
    const std::string jwt = SessionToken::sign("not-the-session-secret", account.id,
                                               std::chrono::system_clock::now() + 1h);
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", sessionCookie(jwt)), 401,
                           "unauthorized"));
}

TEST_F(AuthTest, SessionCookieForAnUnknownAccountIsUnauthorized) {
    const std::string jwt = SessionToken::sign(hub().sessionSecret(), "acc_doesnotexist",
                                               std::chrono::system_clock::now() + 1h);
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", sessionCookie(jwt)), 401,
                           "unauthorized"));
}

}  // namespace
}  // namespace smbhub::test
