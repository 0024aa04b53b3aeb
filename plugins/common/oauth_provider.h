// What the OAuth providers that are not live yet (HubSpot, Salesforce, Pipedrive) share.
//
// They can already start an authorization, so the dashboard's "Connect" button and an operator's
// app registration can be tried, but they receive no deliveries: validate refuses a webhook
// integration for them, and render throws. The hub already fails deliveries to providers that
// are not live with a clear error; the throw is defence in depth, never a silent success.
//
// A provider is available once the operator's settings (`plugins.settings.<id>`) give a
// `client_id`. Only `client_id` and `redirect_uri` are kept: building the authorization URL needs
// nothing else, and a client secret held here would only be one more copy to protect.
//
// Thread-safety: `configure` runs once before any other call; afterwards all state is read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <smbhub/sdk/provider.h>

#include "common/query_string.h"

namespace smbhub::providers {

struct OAuthClient {
    std::string clientId;
    std::string redirectUri;  // empty when the operator did not set one
};

// A provider's part of an authorization URL; the base class adds client_id, redirect_uri and
// state. `input` refuses a start request's query parameter (e.g. Salesforce's env).
struct AuthorizationRequest {
    std::string endpoint;
    std::vector<QueryParam> params;
    sdk::Validation input;
};

class OAuthProvider : public sdk::Provider {
public:
    sdk::ProviderInfo describe() const final;
    bool configure(const sdk::PluginSettings& settings) final;
    sdk::Validation validate(const sdk::IntegrationInput& input) const final;
    std::vector<sdk::OutboundRequest> render(const sdk::EventView& event,
                                             const sdk::IntegrationView& integration) const final;
    sdk::OAuthStart oauthStart(const sdk::OAuthStartRequest& request) const final;

protected:
    OAuthProvider(std::string id, std::string name, std::string description);

    virtual AuthorizationRequest authorization(const sdk::OAuthStartRequest& request) const = 0;

private:
    std::string id_;
    std::string name_;
    std::string description_;
    std::optional<OAuthClient> client_;  // set by configure when a client id is given
};

}  // namespace smbhub::providers
