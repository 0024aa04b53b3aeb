#include "common/oauth_provider.h"

#include <stdexcept>
#include <utility>

#include "common/event_types.h"

namespace smbhub::providers {
namespace {

std::string setting(const sdk::PluginSettings& settings, const std::string& key) {
    const auto it = settings.find(key);
    return it == settings.end() ? std::string() : it->second;
}

}  // namespace

OAuthProvider::OAuthProvider(std::string id, std::string name, std::string description)
    : id_(std::move(id)), name_(std::move(name)), description_(std::move(description)) {}

sdk::ProviderInfo OAuthProvider::describe() const {
    sdk::ProviderInfo info;
    info.id = id_;
    info.name = name_;
    info.kind = sdk::ProviderKind::OAuth;
    info.status = sdk::ProviderStatus::ComingSoon;
    info.description = description_;
    info.events = allEventTypes();
    return info;
}

bool OAuthProvider::configure(const sdk::PluginSettings& settings) {
    // An unset `${VAR:-}` in the YAML expands to "", which must read as "not configured".
    OAuthClient client{setting(settings, "client_id"), setting(settings, "redirect_uri")};
    if (client.clientId.empty()) {
        client_.reset();
        return false;
    }
    client_ = std::move(client);
    return true;
}

sdk::Validation OAuthProvider::validate(const sdk::IntegrationInput&) const {
    return sdk::Validation::reject("provider", "connect " + name_ + " with OAuth");
}

std::vector<sdk::OutboundRequest> OAuthProvider::render(const sdk::EventView&,
                                                        const sdk::IntegrationView&) const {
    throw std::runtime_error(name_ + " deliveries are not live yet");
}

sdk::OAuthStart OAuthProvider::oauthStart(const sdk::OAuthStartRequest& request) const {
    sdk::OAuthStart start;
    if (!client_) return start;  // available == false: the hub answers 503
    start.available = true;
    AuthorizationRequest authorization = this->authorization(request);
    if (!authorization.input.ok) {
        start.input = std::move(authorization.input);
        return start;
    }
    std::vector<QueryParam> params{{"client_id", client_->clientId}};
    // Left out when not configured: some providers then use the URI registered with the app,
    // the others show their own error page; an empty redirect_uri would be refused by all.
    if (!client_->redirectUri.empty()) params.push_back({"redirect_uri", client_->redirectUri});
    for (auto& param : authorization.params) params.push_back(std::move(param));
    params.push_back({"state", request.state});
    start.url = authorization.endpoint + "?" + queryString(params);
    return start;
}

}  // namespace smbhub::providers
