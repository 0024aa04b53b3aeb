// Generic Webhook: any https URL; delivers the hub's signed JSON envelope unchanged.
#include <smbhub/sdk/plugin.h>

namespace {

using namespace smbhub::sdk;

class WebhookProvider final : public Provider {
public:
    ProviderInfo describe() const override {
        ProviderInfo info;
        info.id = "webhook";
        info.name = "Generic Webhook";
        info.kind = ProviderKind::Webhook;
        info.status = ProviderStatus::Live;
        info.description = "Any HTTPS endpoint, signed JSON payload";
        info.events = {"lead.created", "lead.updated", "export.completed", "email_schedule.sent",
                       "credit.low_balance"};
        return info;
    }

    Validation validate(const IntegrationInput& input) const override {
        // The hub has already required an absolute https URL and applied the network rules;
        // a generic webhook accepts any such destination.
        if (input.target.host.empty()) {
            return Validation::reject("targetUrl", "targetUrl must name a host");
        }
        return Validation::accept();
    }

    std::vector<OutboundRequest> render(const EventView& event,
                                        const IntegrationView&) const override {
        OutboundRequest request;
        request.body = event.envelopeJson;
        return {request};
    }
};

}  // namespace

SMBHUB_PLUGIN(WebhookProvider, "webhook", "1.0.0")
