// What OAuthProvider gives every provider built on it, checked on each of them (HubSpot,
// Salesforce, Pipedrive): an OAuth provider coming soon for all five event types; unavailable
// until the operator's settings give a client_id; no webhook integrations; no deliveries yet
// (render throws rather than succeed silently). What one provider does alone (its name, its
// authorization URL) is tested beside it.
#include "common/oauth_provider.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hubspot/hubspot_provider.h"
#include "pipedrive/pipedrive_provider.h"
#include "salesforce/salesforce_provider.h"

namespace smbhub::providers {
namespace {

struct OAuthProviderCase {
    std::string id;
    std::string name;
    std::function<std::unique_ptr<sdk::Provider>()> make;
};

void PrintTo(const OAuthProviderCase& provider, std::ostream* out) { *out << provider.id; }

template <typename P>
std::function<std::unique_ptr<sdk::Provider>()> maker() {
    return [] { return std::make_unique<P>(); };
}

const std::vector<OAuthProviderCase> kProviders = {
    {"hubspot", "HubSpot", maker<HubSpotProvider>()},
    {"salesforce", "Salesforce", maker<SalesforceProvider>()},
    {"pipedrive", "Pipedrive", maker<PipedriveProvider>()},
};

class OAuthProviderTest : public ::testing::TestWithParam<OAuthProviderCase> {
protected:
    std::unique_ptr<sdk::Provider> configured() const {
        auto provider = GetParam().make();
        EXPECT_TRUE(provider->configure({{"client_id", "client-1"},
                                         {"client_secret", "never-used-here"},
                                         {"redirect_uri", "https://hub.example.com/callback"}}));
        return provider;
    }
};

TEST_P(OAuthProviderTest, IsAComingSoonOAuthProviderForEveryEventType) {
    const sdk::ProviderInfo info = GetParam().make()->describe();
    EXPECT_EQ(info.id, GetParam().id);
    EXPECT_EQ(info.name, GetParam().name);
    EXPECT_EQ(info.kind, sdk::ProviderKind::OAuth);
    EXPECT_EQ(info.status, sdk::ProviderStatus::ComingSoon);
    EXPECT_EQ(info.events, (std::vector<std::string>{"lead.created", "lead.updated",
                                                     "export.completed", "email_schedule.sent",
                                                     "credit.low_balance"}));
    EXPECT_TRUE(info.settingFields.empty());
}

TEST_P(OAuthProviderTest, IsUnavailableWithoutAClientId) {
    for (const auto& settings : {sdk::PluginSettings{},
                                 sdk::PluginSettings{{"client_id", ""}, {"redirect_uri", "x"}},
                                 sdk::PluginSettings{{"client_secret", "s"}}}) {
        const auto provider = GetParam().make();
        EXPECT_FALSE(provider->configure(settings));
        const sdk::OAuthStart start = provider->oauthStart({"state-1", {}});
        EXPECT_FALSE(start.available);
        EXPECT_TRUE(start.url.empty());
    }
    EXPECT_TRUE(configured()->oauthStart({"state-1", {}}).available);
}

TEST_P(OAuthProviderTest, RefusesWebhookIntegrations) {
    sdk::IntegrationInput withTarget;
    withTarget.target.scheme = "https";
    withTarget.target.host = "api.example.com";
    withTarget.target.path = "/";
    for (const sdk::IntegrationInput& input : {sdk::IntegrationInput{}, withTarget}) {
        const sdk::Validation verdict = configured()->validate(input);
        EXPECT_FALSE(verdict.ok);
        EXPECT_EQ(verdict.field, "provider");
        EXPECT_EQ(verdict.message, "connect " + GetParam().name + " with OAuth");
    }
}

TEST_P(OAuthProviderTest, DoesNotDeliverYet) {
    try {
        configured()->render({}, {});
        FAIL() << "render must throw";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), GetParam().name + " deliveries are not live yet");
    }
}

INSTANTIATE_TEST_SUITE_P(Providers, OAuthProviderTest, ::testing::ValuesIn(kProviders),
                         [](const auto& info) { return info.param.id; });

}  // namespace
}  // namespace smbhub::providers
