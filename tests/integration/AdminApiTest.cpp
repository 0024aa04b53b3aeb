// SPEC §14's admin API, from the outside: an operator lists and reads accounts, issues, lists
// and revokes API keys (a revoked key is refused at once, and by every other process sharing a
// PostgreSQL database), and looks a customer's delivery up with every attempt. Only the admin
// token may do any of it.
#include <set>

#include "HubTest.h"
#include "support/Postgres.h"
#include "support/SessionToken.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AdminApiTest : public HubTest {
protected:
    ApiResponse adminGet(const std::string& path) { return api().get(path, hub().adminToken()); }
};

TEST_F(AdminApiTest, ListsEveryAccountPageByPage) {
    std::set<std::string> created;
    for (int i = 0; i < 5; ++i) created.insert(createAccount("pro", "Paged Co " + std::to_string(i)).id);

    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    while (true) {
        const ApiResponse page =
            adminGet("/api/admin/accounts?limit=2" + (cursor.empty() ? std::string() : "&cursor=" + cursor));
        ASSERT_EQ(page.status, 200) << page.describe();
        ASSERT_LE(jsonSize(page.json, "accounts"), 2u);
        for (const auto& account : jsonArray(page.json, "accounts")) {
            seen.push_back(jsonString(account, "id"));
            EXPECT_FALSE(jsonString(account, "name").empty());
            EXPECT_EQ(jsonString(account, "status"), "active");
            EXPECT_FALSE(jsonHas(account, "apiKey")) << "a key is shown only when issued";
        }
        ++pages;
        if (jsonAt(page.json, "nextCursor").isEmpty()) {
            EXPECT_THAT(page.body, HasSubstr("\"nextCursor\":null")) << "the last page says so with null";
            break;
        }
        cursor = jsonString(page.json, "nextCursor");
        ASSERT_LT(pages, 10) << "the cursor does not move on";
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), created);
    EXPECT_EQ(seen.size(), created.size()) << "no account on two pages";

    const ApiResponse all = adminGet("/api/admin/accounts");
    EXPECT_EQ(jsonSize(all.json, "accounts"), 5u) << "default page size is 50";
    EXPECT_TRUE(jsonAt(all.json, "nextCursor").isEmpty());

    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts?limit=0"), 400, "invalid_request", "limit"));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts?limit=201"), 400, "invalid_request", "limit"));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts?limit=ten"), 400, "invalid_request", "limit"));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts?cursor=not-ours"), 400, "invalid_request", "cursor"));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts?page=2"), 400, "invalid_request", "page"));
}

TEST_F(AdminApiTest, ReadsOneAccount) {
    const TestAccount account = createAccount("growth", "Read Me Co");
    const ApiResponse found = adminGet("/api/admin/accounts/" + account.id);
    ASSERT_EQ(found.status, 200) << found.describe();
    EXPECT_EQ(found.string("id"), account.id);
    EXPECT_EQ(found.string("name"), "Read Me Co");
    EXPECT_EQ(found.string("plan"), "growth");
    EXPECT_EQ(found.string("status"), "active");
    EXPECT_FALSE(found.string("createdAt").empty());
    EXPECT_THAT(found.body, Not(HasSubstr(account.apiKey)));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts/acc_nobody"), 404, "not_found"));
}

TEST_F(AdminApiTest, OnlyTheAdminTokenManagesAccountsKeysAndDeliveries) {
    const TestAccount account = createAccount();
    const std::string keys = "/api/admin/accounts/" + account.id + "/api-keys";
    for (const std::string& token : {account.apiKey, std::string()}) {
        EXPECT_TRUE(isApiError(api().get("/api/admin/accounts", token), 401, "unauthorized"));
        EXPECT_TRUE(isApiError(api().get("/api/admin/accounts/" + account.id, token), 401, "unauthorized"));
        EXPECT_TRUE(isApiError(api().post(keys, "{}", token), 401, "unauthorized"));
        EXPECT_TRUE(isApiError(api().get(keys, token), 401, "unauthorized"));
        EXPECT_TRUE(isApiError(api().del(keys + "/key_x", token), 401, "unauthorized"));
        EXPECT_TRUE(isApiError(api().get("/api/admin/deliveries/dlv_x", token), 401, "unauthorized"));
    }
}

TEST_F(AdminApiTest, IssuesListsAndRevokesApiKeys) {
    const TestAccount account = createAccount();
    const std::string keys = "/api/admin/accounts/" + account.id + "/api-keys";

    const ApiResponse issued = api().post(keys, "", hub().adminToken());
    ASSERT_EQ(issued.status, 201) << issued.describe();
    const std::string keyId = issued.string("id");
    const std::string apiKey = issued.string("apiKey");
    EXPECT_EQ(keyId.rfind("key_", 0), 0u) << issued.body;
    EXPECT_EQ(apiKey.rfind("smbk_", 0), 0u) << issued.body;
    EXPECT_EQ(apiKey.rfind(issued.string("prefix"), 0), 0u) << "the prefix is how the key begins";
    EXPECT_GE(issued.string("prefix").size(), 8u);
    EXPECT_EQ(api().get("/api/integrations", apiKey).status, 200) << "the new key works at once";
    EXPECT_EQ(api().get("/api/integrations", account.apiKey).status, 200) << "and so does the first";

    const ApiResponse listed = adminGet(keys);
    ASSERT_EQ(listed.status, 200) << listed.describe();
    ASSERT_EQ(jsonSize(listed.json, "apiKeys"), 2u) << listed.body;
    EXPECT_THAT(listed.body, Not(HasSubstr(apiKey)));
    EXPECT_THAT(listed.body, Not(HasSubstr(account.apiKey)));
    EXPECT_THAT(listed.body, Not(HasSubstr("apiKey\"")));
    const auto second = jsonAt(listed.json, "apiKeys.1");
    EXPECT_EQ(jsonString(second, "id"), keyId);
    EXPECT_EQ(jsonString(second, "prefix"), issued.string("prefix"));
    EXPECT_FALSE(jsonString(second, "createdAt").empty());
    EXPECT_FALSE(jsonString(second, "lastUsedAt").empty()) << "it was used above";
    const std::string firstKeyId = jsonString(listed.json, "apiKeys.0.id");
    EXPECT_EQ(account.apiKey.rfind(jsonString(listed.json, "apiKeys.0.prefix"), 0), 0u);

    const ApiResponse revoked = api().del(keys + "/" + keyId, hub().adminToken());
    ASSERT_EQ(revoked.status, 204) << revoked.describe();
    EXPECT_TRUE(revoked.body.empty());
    EXPECT_TRUE(isApiError(api().get("/api/integrations", apiKey), 401, "unauthorized")) << "refused at once";
    EXPECT_TRUE(isApiError(api().post("/api/session", "{\"apiKey\":" + jsonQuote(apiKey) + "}"), 401, "unauthorized"))
        << "nor can it sign in";
    EXPECT_EQ(api().get("/api/integrations", account.apiKey).status, 200) << "the account's other key still works";
    EXPECT_TRUE(isApiError(api().del(keys + "/" + keyId, hub().adminToken()), 404, "not_found"));
    const ApiResponse after = adminGet(keys);
    ASSERT_EQ(jsonSize(after.json, "apiKeys"), 1u) << after.body;
    EXPECT_EQ(jsonString(after.json, "apiKeys.0.id"), firstKeyId);

    // Another account's key cannot be revoked through this account, nor keys of no account.
    const TestAccount other = createAccount("pro", "Other Co");
    EXPECT_TRUE(isApiError(api().del("/api/admin/accounts/" + other.id + "/api-keys/" + firstKeyId,
                                     hub().adminToken()),
                           404, "not_found"));
    EXPECT_EQ(api().get("/api/integrations", account.apiKey).status, 200);
    EXPECT_TRUE(isApiError(api().post("/api/admin/accounts/acc_nobody/api-keys", "{}", hub().adminToken()), 404,
                           "not_found"));
    EXPECT_TRUE(isApiError(adminGet("/api/admin/accounts/acc_nobody/api-keys"), 404, "not_found"));
    EXPECT_TRUE(isApiError(api().post(keys, R"({"name":"ci"})", hub().adminToken()), 400, "invalid_request", "name"));
}

TEST_F(AdminApiTest, ALeakedFirstKeyIsReplacedAndRevoked) {
    // The operator's path for a leaked key: issue a new one, hand it over, revoke the old one.
    const ApiResponse created =
        api().post("/api/admin/accounts", R"({"name":"Leaky Co","plan":"pro"})", hub().adminToken());
    ASSERT_EQ(created.status, 201) << created.describe();
    const std::string leaked = created.string("apiKey");
    const std::string leakedId = created.string("apiKeyId");
    ASSERT_EQ(leakedId.rfind("key_", 0), 0u) << created.body;
    const std::string keys = "/api/admin/accounts/" + created.string("id") + "/api-keys";
    const ApiResponse fresh = api().post(keys, "{}", hub().adminToken());
    ASSERT_EQ(fresh.status, 201) << fresh.describe();
    ASSERT_EQ(api().del(keys + "/" + leakedId, hub().adminToken()).status, 204);
    EXPECT_TRUE(isApiError(api().get("/api/integrations", leaked), 401, "unauthorized"));
    EXPECT_EQ(api().get("/api/integrations", fresh.string("apiKey")).status, 200);
}

// Whoever holds a leaked key may have signed in to the dashboard with it: revoking the key ends
// those sessions too. Sessions signed in with another key, and the main application's own
// (bound to no key), go on.
TEST_F(AdminApiTest, RevokingAKeyEndsTheSessionsSignedInWithIt) {
    const TestAccount account = createAccount();
    const std::string keys = "/api/admin/accounts/" + account.id + "/api-keys";
    const ApiResponse issued = api().post(keys, "{}", hub().adminToken());
    ASSERT_EQ(issued.status, 201) << issued.describe();
    const auto signIn = [&](const std::string& apiKey) {
        const ApiResponse response = api().post("/api/session", "{\"apiKey\":" + jsonQuote(apiKey) + "}");
        EXPECT_EQ(response.status, 200) << response.describe();
        const std::string setCookie = response.header("Set-Cookie");
        return HttpHeaders{{"Cookie", setCookie.substr(0, setCookie.find(';'))}};
    };
    const HttpHeaders leakedSession = signIn(issued.string("apiKey"));
    const HttpHeaders otherSession = signIn(account.apiKey);
    const HttpHeaders appSession = {
        {"Cookie", SessionToken::cookie(SessionToken::sign(hub().sessionSecret(), account.id,
                                                           std::chrono::system_clock::now() + std::chrono::hours(1)))}};
    ASSERT_EQ(api().get("/api/session", "", leakedSession).status, 200);

    ASSERT_EQ(api().del(keys + "/" + issued.string("id"), hub().adminToken()).status, 204);
    EXPECT_TRUE(isApiError(api().get("/api/session", "", leakedSession), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", leakedSession), 401, "unauthorized"));
    EXPECT_EQ(api().get("/api/session", "", otherSession).status, 200) << "signed in with the other key";
    EXPECT_EQ(api().get("/api/session", "", appSession).status, 200) << "the main application's session";
}

TEST_F(AdminApiTest, LooksADeliveryUpWithEveryAttempt) {
    const TestAccount account = createAccount();
    const TestIntegration hook = createWebhook(account, "/hooks/support");
    receiver().setBehaviour("/hooks/support", ReceiverBehaviour::failFirst(2, 500));
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    const std::string eventId = published.string("id");

    ApiResponse found;
    ASSERT_TRUE(waitForAttempts(
                    account, hook.id, [](const auto& attempts) { return attempts.size() >= 3; },
                    std::chrono::seconds(20))
                    .size() >= 3);
    // The log of attempts and the delivery's state are written together; read until it shows.
    for (int tries = 0; tries < 100; ++tries) {
        found = adminGet("/api/admin/deliveries/" + deliveryId);
        if (found.string("status") == "succeeded") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(found.status, 200) << found.describe();
    EXPECT_EQ(found.string("id"), deliveryId);
    EXPECT_EQ(found.string("integrationId"), hook.id);
    EXPECT_EQ(found.string("accountId"), account.id);
    EXPECT_EQ(found.string("eventId"), eventId);
    EXPECT_EQ(found.string("eventType"), "lead.created");
    EXPECT_EQ(found.string("status"), "succeeded");
    EXPECT_EQ(found.integer("attemptCount"), 3);
    ASSERT_EQ(jsonSize(found.json, "attempts"), 3u) << found.body;
    for (int i = 0; i < 3; ++i) {
        const auto attempt = jsonAt(found.json, "attempts." + std::to_string(i));
        EXPECT_EQ(jsonInt(attempt, "attempt"), i + 1) << "oldest first";
        EXPECT_EQ(jsonString(attempt, "deliveryId"), deliveryId);
        EXPECT_EQ(jsonInt(attempt, "responseStatus"), i < 2 ? 500 : 200);
        EXPECT_EQ(jsonString(attempt, "status"), i < 2 ? "pending" : "succeeded");
    }
    EXPECT_TRUE(isApiError(adminGet("/api/admin/deliveries/dlv_nothing"), 404, "not_found"));
}

// SPEC §14: a revoked key is refused at once by the process that revoked it and within a second
// by the others. Lookups by key are never cached, so the other process refuses it on its very
// next request, which is what this checks.
class AdminApiSeveralProcessesTest : public HubTest {
protected:
    void SetUp() override {
        if (backendUnderTest() != Backend::Postgres) {
            GTEST_SKIP() << "several processes share a database only on PostgreSQL; this runs under postgres:";
        }
        database_ = std::make_unique<ScratchDatabase>();
        HubTest::SetUp();
        other_ = std::make_unique<HubProcess>(certificates().caFile(), hubOverrides());
        other_->start();
    }
    void TearDown() override {
        HubTest::TearDown();
        if (other_) other_->stop();
        other_.reset();
        database_.reset();
    }
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"database.url", HubConfigYaml::quoted(database_->url())}};
    }

    std::unique_ptr<ScratchDatabase> database_;
    std::unique_ptr<HubProcess> other_;
};

TEST_F(AdminApiSeveralProcessesTest, ARevokedKeyIsRefusedByEveryProcess) {
    const TestAccount account = createAccount();
    const ApiClient otherApi(other_->host(), other_->port());
    const std::string keys = "/api/admin/accounts/" + account.id + "/api-keys";
    const ApiResponse issued = api().post(keys, "{}", hub().adminToken());
    ASSERT_EQ(issued.status, 201) << issued.describe();
    const std::string apiKey = issued.string("apiKey");
    ASSERT_EQ(otherApi.get("/api/integrations", apiKey).status, 200) << "the other process takes the new key";

    ASSERT_EQ(api().del(keys + "/" + issued.string("id"), hub().adminToken()).status, 204);
    EXPECT_TRUE(isApiError(api().get("/api/integrations", apiKey), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(otherApi.get("/api/integrations", apiKey), 401, "unauthorized"))
        << "the other process's very next request refuses it";
    EXPECT_EQ(otherApi.get("/api/integrations", account.apiKey).status, 200);
}

}  // namespace
}  // namespace smbhub::test
