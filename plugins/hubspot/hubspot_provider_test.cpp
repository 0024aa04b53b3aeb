#include "hubspot_provider.h"
#include "common/test_urls.h"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace smbhub::providers {
namespace {

using test_urls::queryOf;

const sdk::PluginSettings kSettings{{"client_id", "1a2b3c4d-hub"},
                                    {"client_secret", "never-used-here"},
                                    {"redirect_uri",
                                     "https://hub.example.com/api/integrations/hubspot/callback"}};

HubSpotProvider configured(const sdk::PluginSettings& settings = kSettings) {
    HubSpotProvider provider;
    EXPECT_TRUE(provider.configure(settings));
    return provider;
}

TEST(HubSpotProvider, DescribesItself) {
    const sdk::ProviderInfo info = HubSpotProvider().describe();
    EXPECT_EQ(info.id, "hubspot");
    EXPECT_EQ(info.name, "HubSpot");
    EXPECT_EQ(info.description, "Per-user OAuth, upserts Contacts and Companies");
}

TEST(HubSpotProvider, BuildsTheAuthorizationUrl) {
    const sdk::OAuthStart start = configured().oauthStart({"st_9f8e7d", {}});
    ASSERT_TRUE(start.available);
    EXPECT_TRUE(start.input.ok);
    const Poco::URI uri(start.url);
    EXPECT_EQ(uri.getScheme(), "https");
    EXPECT_EQ(uri.getHost(), "app.hubspot.com");
    EXPECT_EQ(uri.getPath(), "/oauth/authorize");
    EXPECT_EQ(queryOf(uri), (std::map<std::string, std::string>{
                                {"client_id", "1a2b3c4d-hub"},
                                {"redirect_uri",
                                 "https://hub.example.com/api/integrations/hubspot/callback"},
                                {"scope",
                                 "crm.objects.contacts.write crm.objects.companies.write "
                                 "crm.objects.contacts.read crm.objects.companies.read"},
                                {"state", "st_9f8e7d"}}));
    EXPECT_EQ(start.url,
              "https://app.hubspot.com/oauth/authorize?client_id=1a2b3c4d-hub&redirect_uri="
              "https%3A%2F%2Fhub.example.com%2Fapi%2Fintegrations%2Fhubspot%2Fcallback&scope="
              "crm.objects.contacts.write%20crm.objects.companies.write%20"
              "crm.objects.contacts.read%20crm.objects.companies.read&state=st_9f8e7d");
}

TEST(HubSpotProvider, EncodesEveryValueSoNoneCanAddParameters) {
    const sdk::OAuthStart start =
        configured({{"client_id", "id&scope=all"},
                    {"redirect_uri", "https://hub.example.com/cb?x=1&y=2 z"}})
            .oauthStart({"a+b/c=d&e f\xc3\xa9", {}});
    const auto query = queryOf(Poco::URI(start.url));
    EXPECT_EQ(query.size(), 4u);
    EXPECT_EQ(query.at("client_id"), "id&scope=all");
    EXPECT_EQ(query.at("redirect_uri"), "https://hub.example.com/cb?x=1&y=2 z");
    EXPECT_EQ(query.at("state"), "a+b/c=d&e f\xc3\xa9");
}

TEST(HubSpotProvider, LeavesOutAnUnsetRedirectUri) {
    const sdk::OAuthStart start = configured({{"client_id", "1a2b3c4d-hub"}}).oauthStart({"s", {}});
    ASSERT_TRUE(start.available);
    const auto query = queryOf(Poco::URI(start.url));
    EXPECT_EQ(query.count("redirect_uri"), 0u);
    EXPECT_EQ(query.at("client_id"), "1a2b3c4d-hub");
}

}  // namespace
}  // namespace smbhub::providers
