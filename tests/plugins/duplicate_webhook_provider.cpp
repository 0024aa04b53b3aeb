// A second library claiming the id "webhook". The hub keeps the first library (file names in
// order) and refuses this one; were it used, its deliveries would say "DUPLICATE".
#include <smbhub/sdk/plugin.h>

namespace {

using namespace smbhub::sdk;

class DuplicateWebhookProvider final : public Provider {
public:
    ProviderInfo describe() const override {
        ProviderInfo info;
        info.id = "webhook";
        info.name = "Duplicate Webhook";
        info.events = {"lead.created"};
        return info;
    }
    Validation validate(const IntegrationInput&) const override { return Validation::accept(); }
    std::vector<OutboundRequest> render(const EventView&, const IntegrationView&) const override {
        OutboundRequest request;
        request.body = "{\"from\":\"DUPLICATE\"}";
        return {request};
    }
};

}  // namespace

SMBHUB_PLUGIN(DuplicateWebhookProvider, "webhook", "6.6.6")
