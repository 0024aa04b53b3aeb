// OAuth connection of the CRM providers (SPEC §7, §9) against the real binary: /start returns the
// provider's real authorization URL (checked by parsing it with Poco::URI) and a state; /callback
// checks that state and answers 302 to dashboard.url with the outcome. Redirects are never
// followed by the client: the Location header is the result.
//
// A state expires after ten minutes. The hub has no clock to turn, so the expiry test moves the
// stored state's expiry into the past directly in the hub's database (HubProcess::database()), as time
// would, and then calls the callback. What a callback leaves behind is read back from the
// database too: a connection row for the account that started the flow, once, and none when
// the callback is refused.
#include <Poco/URI.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "HubTest.h"
#include "support/SessionToken.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDashboard = "https://app.smbsalesboost.example/settings/integrations";

std::string redirectUri(const std::string& provider) {
    return "https://hub.smbsalesboost.example/api/integrations/" + provider + "/callback";
}

std::string clientId(const std::string& provider) { return provider + "-client-8d1e4f"; }

std::map<std::string, std::string> queryOf(const Poco::URI& uri) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : uri.getQueryParameters()) {
        // A repeated parameter would be a bug; keep the evidence.
        if (out.count(name)) out[name] += "|" + value;
        else out[name] = value;
    }
    return out;
}

std::string valueOr(const std::map<std::string, std::string>& query, const std::string& name,
                    const std::string& fallback = "<absent>") {
    const auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
}

class OAuthFlowTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        std::map<std::string, std::string> config = {
            {"plugins.enabled", "[webhook, hubspot, salesforce, pipedrive]"},
            {"dashboard.url", HubConfigYaml::quoted(kDashboard)},
        };
        for (const std::string provider : {"hubspot", "salesforce", "pipedrive"}) {
            const std::string prefix = "plugins.settings." + provider + ".";
            config[prefix + "client_id"] = HubConfigYaml::quoted(clientId(provider));
            config[prefix + "client_secret"] = HubConfigYaml::quoted(provider + "-secret-x9");
            config[prefix + "redirect_uri"] = HubConfigYaml::quoted(redirectUri(provider));
        }
        return config;
    }

    struct Started {
        ApiResponse response;
        Poco::URI url;
        std::map<std::string, std::string> query;
        std::string state;
    };

    Started start(const TestAccount& account, const std::string& provider,
                  const std::string& queryString = "") {
        Started started;
        started.response = api().get("/api/integrations/" + provider + "/start" + queryString,
                                     account.apiKey);
        started.state = started.response.string("state");
        if (started.response.status == 200) {
            started.url = Poco::URI(started.response.string("url"));
            started.query = queryOf(started.url);
        }
        return started;
    }

    // Checks what every provider's authorization URL carries.
    static void expectAuthorizationUrl(const Started& started, const std::string& provider,
                                       const std::string& host, const std::string& path) {
        SCOPED_TRACE(started.response.describe());
        ASSERT_EQ(started.response.status, 200);
        EXPECT_GE(started.state.size(), 20u) << "a state must be unguessable";
        EXPECT_EQ(started.url.getScheme(), "https");
        EXPECT_EQ(started.url.getHost(), host);
        EXPECT_EQ(started.url.getPort(), 443);
        EXPECT_EQ(started.url.getPath(), path);
        EXPECT_EQ(valueOr(started.query, "client_id"), clientId(provider));
        EXPECT_EQ(valueOr(started.query, "redirect_uri"), redirectUri(provider));
        EXPECT_EQ(valueOr(started.query, "state"), started.state);
        EXPECT_EQ(started.response.body.find(provider + "-secret-x9"), std::string::npos)
            << "the client secret must never reach the browser";
    }

    // GET the callback (no redirect following); the Location it points to.
    struct Outcome {
        ApiResponse response;
        Poco::URI location;
        std::map<std::string, std::string> query;
    };

    Outcome callback(const std::string& provider, const std::string& queryString,
                     const HttpHeaders& headers = {}) {
        Outcome outcome;
        outcome.response =
            api().get("/api/integrations/" + provider + "/callback" + queryString, "", headers);
        outcome.location = Poco::URI(outcome.response.header("Location"));
        outcome.query = queryOf(outcome.location);
        return outcome;
    }

    // The callback sent the browser back to the dashboard with this outcome.
    static ::testing::AssertionResult redirectsWith(const Outcome& outcome,
                                                    const std::string& provider,
                                                    const std::string& status,
                                                    const std::string& reason = "") {
        const Poco::URI dashboard(kDashboard);
        const auto fail = [&]() {
            return ::testing::AssertionFailure()
                   << "Location: " << outcome.response.header("Location") << " ("
                   << outcome.response.describe() << ") ";
        };
        if (outcome.response.status != 302) return fail() << "expected 302";
        if (outcome.location.getScheme() != dashboard.getScheme() ||
            outcome.location.getHost() != dashboard.getHost() ||
            outcome.location.getPath() != dashboard.getPath()) {
            return fail() << "expected a redirect to " << kDashboard;
        }
        if (valueOr(outcome.query, "provider") != provider) return fail() << "provider";
        if (valueOr(outcome.query, "status") != status) return fail() << "status";
        if (valueOr(outcome.query, "reason", "") != reason) return fail() << "reason";
        return ::testing::AssertionSuccess();
    }

    static std::string encoded(const std::string& text) {
        std::string out;
        Poco::URI::encode(text, "&=+?#/ ", out);
        return out;
    }

    // Every stored OAuth connection as "<account id> <provider> env=<env>", sorted (env is what
    // /start was given: "sandbox", "production" or nothing).
    std::vector<std::string> storedConnections() {
        std::vector<std::string> out;
        for (const auto& row : hub().database()->query(
                 "SELECT account_id, provider, env FROM oauth_connections"
                 " ORDER BY account_id, provider, env")) {
            out.push_back(row[0] + " " + row[1] + " env=" + row[2]);
        }
        return out;
    }
};

using Connections = std::vector<std::string>;

// ---- start --------------------------------------------------------------------------------------

TEST_F(OAuthFlowTest, HubSpotStartReturnsTheAuthorizationUrl) {
    const TestAccount account = createAccount();
    const Started started = start(account, "hubspot");
    expectAuthorizationUrl(started, "hubspot", "app.hubspot.com", "/oauth/authorize");
    const std::string scope = valueOr(started.query, "scope");
    EXPECT_THAT(scope, HasSubstr("crm.objects.contacts.write"));
    EXPECT_THAT(scope, HasSubstr("crm.objects.companies.write"));

    const Started again = start(account, "hubspot");
    ASSERT_EQ(again.response.status, 200) << again.response.describe();
    EXPECT_NE(again.state, started.state) << "every start makes a new state";
}

TEST_F(OAuthFlowTest, SalesforceStartPicksTheLoginHostForTheOrg) {
    const TestAccount account = createAccount();
    for (const std::string query : {"", "?env=production", "?env="}) {
        SCOPED_TRACE("start" + query);
        const Started production = start(account, "salesforce", query);
        expectAuthorizationUrl(production, "salesforce", "login.salesforce.com",
                               "/services/oauth2/authorize");
        EXPECT_EQ(valueOr(production.query, "response_type"), "code");
        EXPECT_THAT(valueOr(production.query, "scope"), HasSubstr("api"));
        EXPECT_THAT(valueOr(production.query, "scope"), HasSubstr("refresh_token"));
    }

    const Started sandbox = start(account, "salesforce", "?env=sandbox");
    expectAuthorizationUrl(sandbox, "salesforce", "test.salesforce.com",
                           "/services/oauth2/authorize");
    EXPECT_EQ(valueOr(sandbox.query, "response_type"), "code");

    const Started staging = start(account, "salesforce", "?env=staging");
    EXPECT_TRUE(isApiError(staging.response, 400, "invalid_request", "env"));
    EXPECT_EQ(staging.response.errorField(), "env");
}

TEST_F(OAuthFlowTest, PipedriveStartReturnsTheAuthorizationUrl) {
    const TestAccount account = createAccount();
    const Started started = start(account, "pipedrive");
    expectAuthorizationUrl(started, "pipedrive", "oauth.pipedrive.com", "/oauth/authorize");
    // Pipedrive's scopes are the ones registered with the app; its URL takes no scope.
    EXPECT_EQ(valueOr(started.query, "scope"), "<absent>");
}

TEST_F(OAuthFlowTest, StartNeedsAPaidAccount) {
    EXPECT_TRUE(isApiError(api().get("/api/integrations/hubspot/start"), 401, "unauthorized"));
    const TestAccount free = createAccount("free", "Free Co");
    EXPECT_TRUE(isApiError(api().get("/api/integrations/hubspot/start", free.apiKey), 403,
                           "plan_required"));
}

// ---- callback -----------------------------------------------------------------------------------

TEST_F(OAuthFlowTest, CallbackWithAValidStateConnectsOnceOnly) {
    const TestAccount account = createAccount();
    for (const std::string provider : {"hubspot", "salesforce", "pipedrive"}) {
        SCOPED_TRACE(provider);
        const Started started = start(account, provider);
        ASSERT_EQ(started.response.status, 200) << started.response.describe();
        const std::string query = "?code=auth-code-123&state=" + encoded(started.state);

        const Outcome first = callback(provider, query);
        EXPECT_TRUE(redirectsWith(first, provider, "connected"));
        const Outcome second = callback(provider, query);
        EXPECT_TRUE(redirectsWith(second, provider, "error", "state_reused"));
    }
    // One connection per provider, for this account; the reused states added nothing.
    EXPECT_EQ(storedConnections(), (Connections{account.id + " hubspot env=",
                                                account.id + " pipedrive env=",
                                                account.id + " salesforce env="}));
}

TEST_F(OAuthFlowTest, CallbackRefusesStatesThatAreNotThisProvidersOwn) {
    const TestAccount account = createAccount();
    EXPECT_TRUE(redirectsWith(callback("hubspot", "?code=c&state=notastateweissued0123456789"),
                              "hubspot", "error", "invalid_state"));
    EXPECT_TRUE(redirectsWith(callback("hubspot", "?code=c"), "hubspot", "error",
                              "missing_state"));

    // A HubSpot state is no good at Salesforce's callback.
    const Started hubspot = start(account, "hubspot");
    ASSERT_EQ(hubspot.response.status, 200) << hubspot.response.describe();
    EXPECT_TRUE(redirectsWith(callback("salesforce", "?code=c&state=" + encoded(hubspot.state)),
                              "salesforce", "error", "invalid_state"));
    EXPECT_EQ(storedConnections(), Connections{}) << "a refused callback connected something";
}

TEST_F(OAuthFlowTest, CallbackWithoutACodeOrWithTheProvidersErrorFails) {
    const TestAccount account = createAccount();
    const Started noCode = start(account, "pipedrive");
    ASSERT_EQ(noCode.response.status, 200) << noCode.response.describe();
    EXPECT_TRUE(redirectsWith(callback("pipedrive", "?state=" + encoded(noCode.state)),
                              "pipedrive", "error", "missing_code"));
    // The state was spent on that failed try.
    EXPECT_TRUE(redirectsWith(callback("pipedrive", "?code=c&state=" + encoded(noCode.state)),
                              "pipedrive", "error", "state_reused"));

    const Started denied = start(account, "hubspot");
    ASSERT_EQ(denied.response.status, 200) << denied.response.describe();
    EXPECT_TRUE(redirectsWith(
        callback("hubspot", "?error=access_denied&error_description=User%20denied&state=" +
                                encoded(denied.state)),
        "hubspot", "error", "access_denied"));
    EXPECT_EQ(storedConnections(), Connections{}) << "a failed callback connected something";
}

TEST_F(OAuthFlowTest, CallbackRefusesAnExpiredState) {
    const TestAccount account = createAccount();
    const Started started = start(account, "salesforce", "?env=sandbox");
    ASSERT_EQ(started.response.status, 200) << started.response.describe();
    {
        // Ten minutes pass (the hub keeps only the state's hash; this is the only one stored).
        const auto db = hub().database();
        ASSERT_EQ(db->execute("UPDATE oauth_states SET created_at = created_at - 660000,"
                             " expires_at = expires_at - 660000 WHERE used_at IS NULL"),
                  1);
    }
    EXPECT_TRUE(redirectsWith(
        callback("salesforce", "?code=auth-code-123&state=" + encoded(started.state)),
        "salesforce", "error", "state_expired"));
    EXPECT_EQ(storedConnections(), Connections{}) << "an expired state connected something";

    // A state near its end (half a minute left: a loaded machine can take seconds between the
    // update and the callback) still works.
    const Started fresh = start(account, "salesforce", "?env=sandbox");
    ASSERT_EQ(fresh.response.status, 200) << fresh.response.describe();
    {
        const auto db = hub().database();
        ASSERT_EQ(db->execute("UPDATE oauth_states SET created_at = created_at - 570000,"
                             " expires_at = expires_at - 570000 WHERE used_at IS NULL"),
                  1);
    }
    EXPECT_TRUE(redirectsWith(callback("salesforce", "?code=c&state=" + encoded(fresh.state)),
                              "salesforce", "connected"));
    EXPECT_EQ(storedConnections(), Connections{account.id + " salesforce env=sandbox"});
}

// The browser that comes back is signed in to the dashboard as another account: the connection
// must not be attached to the account that started it, nor to this one.
TEST_F(OAuthFlowTest, CallbackRefusesABrowserSignedInAsAnotherAccount) {
    const TestAccount owner = createAccount("pro", "Owner Co");
    const TestAccount other = createAccount("pro", "Other Co");
    const auto inAnHour = std::chrono::system_clock::now() + std::chrono::hours(1);

    const Started started = start(owner, "hubspot");
    ASSERT_EQ(started.response.status, 200) << started.response.describe();
    const std::string otherCookie =
        SessionToken::cookie(SessionToken::sign(hub().sessionSecret(), other.id, inAnHour));
    EXPECT_TRUE(redirectsWith(
        callback("hubspot", "?code=c&state=" + encoded(started.state), {{"Cookie", otherCookie}}),
        "hubspot", "error", "account_mismatch"));
    EXPECT_EQ(storedConnections(), Connections{}) << "connected to one of the two accounts";

    const Started again = start(owner, "hubspot");
    ASSERT_EQ(again.response.status, 200) << again.response.describe();
    const std::string ownerCookie =
        SessionToken::cookie(SessionToken::sign(hub().sessionSecret(), owner.id, inAnHour));
    EXPECT_TRUE(redirectsWith(
        callback("hubspot", "?code=c&state=" + encoded(again.state), {{"Cookie", ownerCookie}}),
        "hubspot", "connected"));
    EXPECT_EQ(storedConnections(), Connections{owner.id + " hubspot env="});
}

// Only the OAuth providers have a callback; /start already answers 400 for a webhook provider.
TEST_F(OAuthFlowTest, CallbackOfAWebhookProviderIsNotFound) {
    const ApiResponse response = api().get("/api/integrations/webhook/callback?code=c&state=s");
    EXPECT_TRUE(isApiError(response, 404, "not_found"))
        << "Location: " << response.header("Location");
    EXPECT_TRUE(isApiError(api().get("/api/integrations/nothing/callback?code=c&state=s"), 404,
                           "not_found"));
}

// ---- not configured -----------------------------------------------------------------------------

// The OAuth plugins loaded, but without a client_id (HubSpot), or not enabled at all (Pipedrive).
class UnconfiguredOAuthTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"plugins.enabled", "[webhook, hubspot, salesforce]"},
                {"plugins.settings.salesforce.client_id", "\"sf-client-1\""},
                {"dashboard.url", HubConfigYaml::quoted(kDashboard)}};
    }
};

TEST_F(UnconfiguredOAuthTest, StartWithoutAClientIdIsProviderUnavailable) {
    const TestAccount account = createAccount();
    EXPECT_TRUE(isApiError(api().get("/api/integrations/hubspot/start", account.apiKey), 503,
                           "provider_unavailable"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations/pipedrive/start", account.apiKey), 503,
                           "provider_unavailable"));
    const ApiResponse salesforce = api().get("/api/integrations/salesforce/start", account.apiKey);
    ASSERT_EQ(salesforce.status, 200) << salesforce.describe();
    const Poco::URI url(salesforce.string("url"));
    EXPECT_EQ(url.getHost(), "login.salesforce.com");
    const auto query = queryOf(url);
    EXPECT_EQ(valueOr(query, "client_id"), "sf-client-1");
    // No redirect_uri configured: none sent (the one registered with the app applies).
    EXPECT_EQ(valueOr(query, "redirect_uri"), "<absent>");
    EXPECT_EQ(valueOr(query, "state"), salesforce.string("state"));
}

}  // namespace
}  // namespace smbhub::test
