#include "salesforce_provider.h"
#include "common/test_urls.h"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace smbhub::providers {
namespace {

using test_urls::queryOf;

const std::string kRedirect = "https://hub.example.com/api/integrations/salesforce/callback";

SalesforceProvider configured() {
    SalesforceProvider provider;
    EXPECT_TRUE(provider.configure({{"client_id", "3MVG9_consumer.key"},
                                    {"client_secret", "never-used-here"},
                                    {"redirect_uri", kRedirect}}));
    return provider;
}

sdk::OAuthStart start(const SalesforceProvider& provider, std::map<std::string, std::string> query) {
    return provider.oauthStart({"st_5a4b3c", std::move(query)});
}

TEST(SalesforceProvider, DescribesItself) {
    const sdk::ProviderInfo info = SalesforceProvider().describe();
    EXPECT_EQ(info.id, "salesforce");
    EXPECT_EQ(info.name, "Salesforce");
    EXPECT_EQ(info.description, "Per-user OAuth, upserts Leads in Production or Sandbox");
}

TEST(SalesforceProvider, IsUnavailableWithoutAClientId) {
    SalesforceProvider provider;
    EXPECT_FALSE(provider.configure({{"redirect_uri", kRedirect}}));
    EXPECT_FALSE(start(provider, {}).available);
    EXPECT_FALSE(start(provider, {{"env", "sandbox"}}).available);
    EXPECT_FALSE(start(provider, {{"env", "staging"}}).available);
}

TEST(SalesforceProvider, UsesTheProductionLoginHostByDefault) {
    for (const auto& query : {std::map<std::string, std::string>{},
                              std::map<std::string, std::string>{{"env", "production"}},
                              std::map<std::string, std::string>{{"env", ""}}}) {
        const sdk::OAuthStart result = start(configured(), query);
        ASSERT_TRUE(result.available);
        EXPECT_TRUE(result.input.ok);
        const Poco::URI uri(result.url);
        EXPECT_EQ(uri.getScheme(), "https");
        EXPECT_EQ(uri.getHost(), "login.salesforce.com");
        EXPECT_EQ(uri.getPath(), "/services/oauth2/authorize");
        EXPECT_EQ(queryOf(uri), (std::map<std::string, std::string>{
                                    {"response_type", "code"},
                                    {"client_id", "3MVG9_consumer.key"},
                                    {"redirect_uri", kRedirect},
                                    {"scope", "api refresh_token"},
                                    {"state", "st_5a4b3c"}}));
        EXPECT_NE(result.url.find("scope=api%20refresh_token"), std::string::npos);
    }
}

TEST(SalesforceProvider, UsesTheSandboxLoginHostForSandbox) {
    const sdk::OAuthStart result = start(configured(), {{"env", "sandbox"}});
    ASSERT_TRUE(result.available);
    EXPECT_TRUE(result.input.ok);
    const Poco::URI uri(result.url);
    EXPECT_EQ(uri.getHost(), "test.salesforce.com");
    EXPECT_EQ(uri.getPath(), "/services/oauth2/authorize");
    const auto query = queryOf(uri);
    EXPECT_EQ(query.at("client_id"), "3MVG9_consumer.key");
    EXPECT_EQ(query.at("redirect_uri"), kRedirect);
    EXPECT_EQ(query.at("state"), "st_5a4b3c");
}

TEST(SalesforceProvider, RefusesAnyOtherEnv) {
    for (const std::string env : {"staging", "Sandbox", "test", "login.salesforce.com"}) {
        const sdk::OAuthStart result = start(configured(), {{"env", env}});
        EXPECT_TRUE(result.available) << env;
        EXPECT_TRUE(result.url.empty()) << env;
        EXPECT_FALSE(result.input.ok) << env;
        EXPECT_EQ(result.input.field, "env");
        EXPECT_EQ(result.input.message, "env must be production or sandbox");
    }
}

}  // namespace
}  // namespace smbhub::providers
