// GET /api/integrations/providers (SPEC §7, §9): the nine providers with their kind, status,
// description and events, and `available` as the runtime truth — a plugin left out of
// plugins.enabled is listed but not available, an OAuth provider is available only with a
// client_id in its settings.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using ::testing::UnorderedElementsAreArray;

const std::vector<std::string>& eventTypes() {
    static const std::vector<std::string> types = {"lead.created", "lead.updated",
                                                   "export.completed", "email_schedule.sent",
                                                   "credit.low_balance"};
    return types;
}

struct Expected {
    std::string kind;
    std::string status;
};

// SPEC §9's table.
const std::map<std::string, Expected>& seedTable() {
    static const std::map<std::string, Expected> table = {
        {"webhook", {"webhook", "live"}},       {"zapier", {"webhook", "live"}},
        {"n8n", {"webhook", "live"}},           {"make", {"webhook", "live"}},
        {"pipedream", {"webhook", "live"}},     {"clay", {"webhook", "live"}},
        {"hubspot", {"oauth", "coming_soon"}},  {"salesforce", {"oauth", "coming_soon"}},
        {"pipedrive", {"oauth", "coming_soon"}}};
    return table;
}

std::vector<std::string> stringsOf(const Poco::Dynamic::Var& root, const std::string& path) {
    std::vector<std::string> out;
    for (const auto& item : jsonArray(root, path)) {
        out.push_back(item.isString() ? item.toString() : "?");
    }
    return out;
}

class ProviderCatalogueTest : public HubTest {
protected:
    // id -> the provider object, after checking the parts every entry must have.
    std::map<std::string, Poco::Dynamic::Var> providers(const TestAccount& account) {
        const ApiResponse response = api().get("/api/integrations/providers", account.apiKey);
        EXPECT_EQ(response.status, 200) << response.describe();
        std::map<std::string, Poco::Dynamic::Var> byId;
        for (const auto& provider : jsonArray(response.json, "providers")) {
            const std::string id = jsonString(provider, "id");
            SCOPED_TRACE(toJsonText(provider));
            EXPECT_FALSE(id.empty());
            EXPECT_FALSE(jsonString(provider, "name").empty());
            EXPECT_FALSE(jsonString(provider, "description").empty());
            EXPECT_TRUE(jsonAt(provider, "available").isBoolean());
            EXPECT_THAT(stringsOf(provider, "events"), UnorderedElementsAreArray(eventTypes()));
            const auto expected = seedTable().find(id);
            if (expected != seedTable().end()) {
                EXPECT_EQ(jsonString(provider, "kind"), expected->second.kind);
                EXPECT_EQ(jsonString(provider, "status"), expected->second.status);
            }
            EXPECT_TRUE(byId.emplace(id, provider).second) << "listed twice: " << id;
        }
        return byId;
    }

    static std::map<std::string, bool> availability(
        const std::map<std::string, Poco::Dynamic::Var>& byId) {
        std::map<std::string, bool> out;
        for (const auto& [id, provider] : byId) out[id] = jsonBool(provider, "available", false);
        return out;
    }
};

// The test defaults enable the Generic Webhook only.
TEST_F(ProviderCatalogueTest, AllNineAreListedAndOnlyTheEnabledOneIsAvailable) {
    const TestAccount account = createAccount();
    const auto byId = providers(account);
    ASSERT_EQ(byId.size(), 9u);
    const std::map<std::string, bool> expected = {
        {"webhook", true},  {"zapier", false},    {"n8n", false},
        {"make", false},    {"pipedream", false}, {"clay", false},
        {"hubspot", false}, {"salesforce", false}, {"pipedrive", false}};
    EXPECT_EQ(availability(byId), expected);
    EXPECT_EQ(jsonString(byId.at("clay"), "name"), "Clay");
}

TEST_F(ProviderCatalogueTest, NeedsACaller) {
    EXPECT_TRUE(isApiError(api().get("/api/integrations/providers"), 401, "unauthorized"));
}

// Everything enabled except Pipedream; HubSpot has a client_id, Salesforce an empty one (an
// unset ${VAR:-}), Pipedrive no settings at all.
class ConfiguredProviderCatalogueTest : public ProviderCatalogueTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {
            {"plugins.enabled",
             "[webhook, zapier, n8n, make, clay, hubspot, salesforce, pipedrive]"},
            {"plugins.settings.hubspot.client_id", "\"hs-client-1234\""},
            {"plugins.settings.hubspot.redirect_uri",
             "\"https://hub.example.com/api/integrations/hubspot/callback\""},
            {"plugins.settings.salesforce.client_id", "\"\""},
        };
    }
};

TEST_F(ConfiguredProviderCatalogueTest, AvailabilityFollowsEnablementAndOAuthSettings) {
    const TestAccount account = createAccount();
    const auto byId = providers(account);
    ASSERT_EQ(byId.size(), 9u);
    const std::map<std::string, bool> expected = {
        {"webhook", true},  {"zapier", true},      {"n8n", true},
        {"make", true},     {"pipedream", false},  {"clay", true},
        {"hubspot", true},  {"salesforce", false}, {"pipedrive", false}};
    EXPECT_EQ(availability(byId), expected);
    // Disabled, yet still described as what it is.
    EXPECT_EQ(jsonString(byId.at("pipedream"), "status"), "live");
    EXPECT_EQ(jsonString(byId.at("pipedream"), "name"), "Pipedream");
}

TEST_F(ConfiguredProviderCatalogueTest, UnavailableProvidersRefuseWork) {
    const TestAccount account = createAccount();
    // The disabled webhook plugin.
    const ApiResponse pipedream =
        api().post("/api/integrations/webhook",
                   R"({"provider":"pipedream","displayName":"PD",)"
                   R"("targetUrl":"https://eo1a2b3c.m.pipedream.net","events":["lead.created"]})",
                   account.apiKey);
    EXPECT_TRUE(isApiError(pipedream, 503, "provider_unavailable"));
    // The OAuth providers without a client_id.
    EXPECT_TRUE(isApiError(api().get("/api/integrations/salesforce/start", account.apiKey), 503,
                           "provider_unavailable"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations/pipedrive/start", account.apiKey), 503,
                           "provider_unavailable"));
    // The one with a client_id starts.
    const ApiResponse hubspot = api().get("/api/integrations/hubspot/start", account.apiKey);
    EXPECT_EQ(hubspot.status, 200) << hubspot.describe();
    EXPECT_FALSE(hubspot.string("url").empty()) << hubspot.describe();
}

}  // namespace
}  // namespace smbhub::test
