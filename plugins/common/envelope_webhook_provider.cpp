#include "common/envelope_webhook_provider.h"

#include <utility>

#include "common/event_types.h"

namespace smbhub::providers {

EnvelopeWebhookProvider::EnvelopeWebhookProvider(std::string id, std::string name,
                                                 std::string description, std::string urlShape)
    : id_(std::move(id)),
      name_(std::move(name)),
      description_(std::move(description)),
      urlShape_(std::move(urlShape)) {}

sdk::ProviderInfo EnvelopeWebhookProvider::describe() const {
    sdk::ProviderInfo info;
    info.id = id_;
    info.name = name_;
    info.kind = sdk::ProviderKind::Webhook;
    info.status = sdk::ProviderStatus::Live;
    info.description = description_;
    info.events = allEventTypes();
    return info;
}

sdk::Validation EnvelopeWebhookProvider::validate(const sdk::IntegrationInput& input) const {
    return accepts(input.target) ? sdk::Validation::accept()
                                 : sdk::Validation::reject("targetUrl", urlShape_);
}

std::vector<sdk::OutboundRequest> EnvelopeWebhookProvider::render(
    const sdk::EventView& event, const sdk::IntegrationView&) const {
    sdk::OutboundRequest request;
    request.body = event.envelopeJson;
    return {request};
}

}  // namespace smbhub::providers
