#include "salesforce_provider.h"

#include <map>
#include <string>

namespace smbhub::providers {
namespace {

// The login host for `env`, or empty when `env` names neither kind of org. An empty value
// counts as absent, as a form with nothing selected sends "env=".
std::string loginHost(const std::map<std::string, std::string>& query) {
    const auto env = query.find("env");
    if (env == query.end() || env->second.empty() || env->second == "production") {
        return "https://login.salesforce.com";
    }
    if (env->second == "sandbox") return "https://test.salesforce.com";
    return {};
}

}  // namespace

SalesforceProvider::SalesforceProvider()
    : OAuthProvider("salesforce", "Salesforce",
                    "Per-user OAuth, upserts Leads in Production or Sandbox") {}

AuthorizationRequest SalesforceProvider::authorization(const sdk::OAuthStartRequest& start) const {
    AuthorizationRequest request;
    const std::string host = loginHost(start.query);
    if (host.empty()) {
        request.input = sdk::Validation::reject("env", "env must be production or sandbox");
        return request;
    }
    request.endpoint = host + "/services/oauth2/authorize";
    // api: the REST API; refresh_token: deliveries happen long after the user has left.
    request.params = {{"response_type", "code"}, {"scope", "api refresh_token"}};
    return request;
}

}  // namespace smbhub::providers
