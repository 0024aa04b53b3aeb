// HubSpot (SPEC §9): per-user OAuth that will upsert Contacts and Companies; coming soon, so it
// can start an authorization but receives no deliveries yet (see OAuthProvider).
//
// Thread-safety: as OAuthProvider: `configure` once, then read-only and safe from any thread.
#pragma once

#include "common/oauth_provider.h"

namespace smbhub::providers {

class HubSpotProvider final : public OAuthProvider {
public:
    HubSpotProvider();

private:
    AuthorizationRequest authorization(const sdk::OAuthStartRequest& request) const override;
};

}  // namespace smbhub::providers
