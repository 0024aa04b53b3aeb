#include "plugins/PluginProvider.h"

#include <algorithm>
#include <cstring>

#include "plugins/AbiViews.h"

namespace smbhub::plugins {

PluginProvider::PluginProvider(const smbhub_provider_functions& functions) {
    std::memcpy(&functions_, &functions,
                std::min<std::size_t>(functions.struct_size, sizeof functions_));
    functions_.struct_size = static_cast<std::uint32_t>(sizeof functions_);
    if (!functions_.create || !functions_.destroy || !functions_.describe || !functions_.validate ||
        !functions_.render) {
        throw PluginError("the plugin's function table lacks create, destroy, describe, validate or render");
    }
    PluginReply reply(PluginReply::Call::Create);
    void* instance = nullptr;
    reply.check(functions_.create(&instance, reply.table()));
    instance_ = instance;
}

PluginProvider::~PluginProvider() { functions_.destroy(instance_); }

sdk::ProviderInfo PluginProvider::describe() const {
    PluginReply reply(PluginReply::Call::Describe);
    reply.check(functions_.describe(instance_, reply.table()));
    return std::move(reply.info);
}

bool PluginProvider::configure(const sdk::PluginSettings& settings) {
    if (!functions_.configure) return true;
    const std::vector<smbhub_pair> pairs = view(settings);
    PluginReply reply(PluginReply::Call::Configure);
    reply.check(functions_.configure(instance_, pairs.data(), pairs.size(), reply.table()));
    return reply.configured;
}

sdk::Validation PluginProvider::validate(const sdk::IntegrationInput& input) const {
    const smbhub_target_url target = view(input.target);
    const std::vector<smbhub_pair> settings = view(input.settings);
    const smbhub_integration_input in{sizeof in, 0, &target, settings.data(), settings.size()};
    PluginReply reply(PluginReply::Call::Validate);
    reply.check(functions_.validate(instance_, &in, reply.table()));
    return std::move(reply.validation);
}

std::vector<sdk::OutboundRequest> PluginProvider::render(const sdk::EventView& event,
                                                         const sdk::IntegrationView& integration) const {
    const smbhub_event cEvent = view(event);
    const smbhub_target_url target = view(integration.target);
    const std::vector<smbhub_pair> settings = view(integration.settings);
    const smbhub_integration cIntegration{sizeof cIntegration,
                                          0,
                                          view(integration.id),
                                          view(integration.accountId),
                                          view(integration.displayName),
                                          &target,
                                          settings.data(),
                                          settings.size()};
    PluginReply reply(PluginReply::Call::Render);
    reply.check(functions_.render(instance_, &cEvent, &cIntegration, reply.table()));
    return std::move(reply.requests);
}

sdk::ResponseDecision PluginProvider::interpret(const sdk::ResponseView& response) const {
    if (!functions_.interpret) return sdk::ResponseDecision{};
    const std::vector<smbhub_pair> headers = view(response.headers);
    const smbhub_response in{sizeof in, response.status, headers.data(), headers.size(),
                             view(response.bodyPrefix)};
    PluginReply reply(PluginReply::Call::Interpret);
    reply.check(functions_.interpret(instance_, &in, reply.table()));
    return std::move(reply.decision);
}

sdk::OAuthStart PluginProvider::oauthStart(const sdk::OAuthStartRequest& request) const {
    if (!functions_.oauth_start) return sdk::OAuthStart{};
    const std::vector<smbhub_pair> query = view(request.query);
    const smbhub_oauth_request in{sizeof in, 0, view(request.state), query.data(), query.size()};
    PluginReply reply(PluginReply::Call::OAuthStart);
    reply.check(functions_.oauth_start(instance_, &in, reply.table()));
    sdk::OAuthStart out;
    out.input = std::move(reply.validation);
    out.available = reply.oauthAvailable;
    out.url = std::move(reply.oauthUrl);
    return out;
}

}  // namespace smbhub::plugins
