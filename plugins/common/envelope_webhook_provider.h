// What the live webhook providers for automation services (Zapier, n8n, Make, Pipedream) share:
// each receives the hub's signed JSON envelope unchanged, and differs from the Generic Webhook
// only in which URLs it accepts. Refusing a URL that is not the service's own catches the common
// mistake of pasting the wrong link (a Zap's editor page, a test URL of another tool) at
// creation time, with a sentence showing what the right one looks like, instead of as failed
// deliveries later.
//
// Thread-safety: stateless after construction.
#pragma once

#include <string>
#include <vector>

#include <smbhub/sdk/provider.h>

namespace smbhub::providers {

class EnvelopeWebhookProvider : public sdk::Provider {
public:
    sdk::ProviderInfo describe() const final;
    sdk::Validation validate(const sdk::IntegrationInput& input) const final;
    std::vector<sdk::OutboundRequest> render(const sdk::EventView& event,
                                             const sdk::IntegrationView& integration) const final;

protected:
    // `urlShape` is the sentence a refused targetUrl gets: what the service's URL looks like.
    EnvelopeWebhookProvider(std::string id, std::string name, std::string description,
                            std::string urlShape);

    // Whether `url` (already absolute and allowed by the hub's network rules) is one of the
    // service's webhook URLs.
    virtual bool accepts(const sdk::TargetUrl& url) const = 0;

private:
    std::string id_;
    std::string name_;
    std::string description_;
    std::string urlShape_;
};

}  // namespace smbhub::providers
