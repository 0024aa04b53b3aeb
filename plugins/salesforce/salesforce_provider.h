// Salesforce (SPEC §9): per-user OAuth that will upsert Leads, in a production or a sandbox org;
// coming soon, so it can start an authorization but receives no deliveries yet (see
// OAuthProvider). The start request's `env` picks the login host, because sandbox users exist
// only on test.salesforce.com.
//
// Thread-safety: as OAuthProvider: `configure` once, then read-only and safe from any thread.
#pragma once

#include "common/oauth_provider.h"

namespace smbhub::providers {

class SalesforceProvider final : public OAuthProvider {
public:
    SalesforceProvider();

private:
    AuthorizationRequest authorization(const sdk::OAuthStartRequest& request) const override;
};

}  // namespace smbhub::providers
