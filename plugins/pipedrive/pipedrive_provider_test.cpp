#include "pipedrive_provider.h"
#include "common/test_urls.h"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace smbhub::providers {
namespace {

using test_urls::queryOf;

const std::string kRedirect = "https://hub.example.com/api/integrations/pipedrive/callback";

PipedriveProvider configured() {
    PipedriveProvider provider;
    EXPECT_TRUE(provider.configure({{"client_id", "b7c1d2e3f4a5"},
                                    {"client_secret", "never-used-here"},
                                    {"redirect_uri", kRedirect}}));
    return provider;
}

TEST(PipedriveProvider, DescribesItself) {
    const sdk::ProviderInfo info = PipedriveProvider().describe();
    EXPECT_EQ(info.id, "pipedrive");
    EXPECT_EQ(info.name, "Pipedrive");
    EXPECT_EQ(info.description,
              "Per-user OAuth, upserts Persons and Organizations; per-company API domain handled "
              "automatically");
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

}  // namespace
}  // namespace smbhub::providers
