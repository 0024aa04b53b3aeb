#include "pipedrive_provider.h"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace smbhub::providers {
namespace {

const std::string kRedirect = "https://hub.example.com/api/integrations/pipedrive/callback";

PipedriveProvider configured() {
    PipedriveProvider provider;
    EXPECT_TRUE(provider.configure({{"client_id", "b7c1d2e3f4a5"},
                                    {"client_secret", "never-used-here"},
                                    {"redirect_uri", kRedirect}}));
    return provider;
}

std::map<std::string, std::string> queryOf(const Poco::URI& uri) {
    std::map<std::string, std::string> query;
    for (const auto& [name, value] : uri.getQueryParameters()) query[name] = value;
    return query;
}

TEST(PipedriveProvider, DescribesItselfAsAComingSoonOAuthProvider) {
    const sdk::ProviderInfo info = PipedriveProvider().describe();
    EXPECT_EQ(info.id, "pipedrive");
    EXPECT_EQ(info.name, "Pipedrive");
    EXPECT_EQ(info.kind, sdk::ProviderKind::OAuth);
    EXPECT_EQ(info.status, sdk::ProviderStatus::ComingSoon);
    EXPECT_EQ(info.description,
              "Per-user OAuth, upserts Persons and Organizations; per-company API domain handled "
              "automatically");
    EXPECT_EQ(info.events.size(), 5u);
}

TEST(PipedriveProvider, IsUnavailableWithoutAClientId) {
    PipedriveProvider provider;
    EXPECT_FALSE(provider.configure({{"client_id", ""}, {"redirect_uri", kRedirect}}));
    const sdk::OAuthStart start = provider.oauthStart({"st_1", {}});
    EXPECT_FALSE(start.available);
    EXPECT_TRUE(start.url.empty());
}

TEST(PipedriveProvider, BuildsTheAuthorizationUrl) {
    const sdk::OAuthStart start = configured().oauthStart({"st_0c1d2e", {}});
    ASSERT_TRUE(start.available);
    EXPECT_TRUE(start.input.ok);
    const Poco::URI uri(start.url);
    EXPECT_EQ(uri.getScheme(), "https");
    EXPECT_EQ(uri.getHost(), "oauth.pipedrive.com");
    EXPECT_EQ(uri.getPath(), "/oauth/authorize");
    EXPECT_EQ(queryOf(uri), (std::map<std::string, std::string>{{"client_id", "b7c1d2e3f4a5"},
                                                                {"redirect_uri", kRedirect},
                                                                {"state", "st_0c1d2e"}}));
}

TEST(PipedriveProvider, RefusesWebhookIntegrationsAndDoesNotDeliverYet) {
    const sdk::Validation verdict = configured().validate({});
    EXPECT_FALSE(verdict.ok);
    EXPECT_EQ(verdict.field, "provider");
    EXPECT_EQ(verdict.message, "connect Pipedrive with OAuth");
    try {
        configured().render({}, {});
        FAIL() << "render must throw";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "Pipedrive deliveries are not live yet");
    }
}

}  // namespace
}  // namespace smbhub::providers
