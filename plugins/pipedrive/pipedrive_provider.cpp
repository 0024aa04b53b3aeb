#include "pipedrive_provider.h"

namespace smbhub::providers {

PipedriveProvider::PipedriveProvider()
    : OAuthProvider("pipedrive", "Pipedrive",
                    "Per-user OAuth, upserts Persons and Organizations; per-company API domain "
                    "handled automatically") {}

AuthorizationRequest PipedriveProvider::authorization(const sdk::OAuthStartRequest&) const {
    AuthorizationRequest request;
    // Pipedrive takes no scope parameter: the scopes are those registered with the app.
    request.endpoint = "https://oauth.pipedrive.com/oauth/authorize";
    return request;
}

}  // namespace smbhub::providers
