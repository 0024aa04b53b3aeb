// Zapier (SPEC §9): a Zap's "Catch Hook" trigger URL receives the signed envelope unchanged.
// Zapier answers 410 Gone once the Zap is turned off or deleted; retrying cannot help and would
// keep failing for hours, so the integration is disabled with a reason the user can act on.
//
// Thread-safety: stateless after construction, safe from any thread.
#pragma once

#include "common/envelope_webhook_provider.h"

namespace smbhub::providers {

class ZapierProvider final : public EnvelopeWebhookProvider {
public:
    ZapierProvider();

    sdk::ResponseDecision interpret(const sdk::ResponseView& response) const override;

private:
    // https://hooks.zapier.com/hooks/catch/<account digits>/<hook key>/ with the trailing slash
    // optional, or the same with /silent/ appended (Zapier then answers without a body).
    bool accepts(const sdk::TargetUrl& url) const override;
};

}  // namespace smbhub::providers
