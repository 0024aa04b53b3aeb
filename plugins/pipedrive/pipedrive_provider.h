// Pipedrive (SPEC §9): per-user OAuth that will upsert Persons and Organizations through the
// company's own API domain (returned with the token); coming soon, so it can start an
// authorization but receives no deliveries yet (see OAuthProvider).
//
// Thread-safety: as OAuthProvider: `configure` once, then read-only and safe from any thread.
#pragma once

#include "common/oauth_provider.h"

namespace smbhub::providers {

class PipedriveProvider final : public OAuthProvider {
public:
    PipedriveProvider();

private:
    AuthorizationRequest authorization(const sdk::OAuthStartRequest& request) const override;
};

}  // namespace smbhub::providers
