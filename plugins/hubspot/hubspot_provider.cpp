#include "hubspot_provider.h"

namespace smbhub::providers {

HubSpotProvider::HubSpotProvider()
    : OAuthProvider("hubspot", "HubSpot", "Per-user OAuth, upserts Contacts and Companies") {}

AuthorizationRequest HubSpotProvider::authorization(const sdk::OAuthStartRequest&) const {
    AuthorizationRequest request;
    request.endpoint = "https://app.hubspot.com/oauth/authorize";
    // Write to upsert, read to find the existing record first. HubSpot takes scopes separated
    // by spaces.
    request.params = {{"scope",
                       "crm.objects.contacts.write crm.objects.companies.write "
                       "crm.objects.contacts.read crm.objects.companies.read"}};
    return request;
}

}  // namespace smbhub::providers
