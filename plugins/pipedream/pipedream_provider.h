// Pipedream (SPEC §9): a workflow's HTTP source, https://<endpoint id>.m.pipedream.net, receives
// the signed envelope unchanged. The source accepts any path, so only the host is checked.
//
// Thread-safety: stateless after construction, safe from any thread.
#pragma once

#include "common/envelope_webhook_provider.h"

namespace smbhub::providers {

class PipedreamProvider final : public EnvelopeWebhookProvider {
public:
    PipedreamProvider();

private:
    bool accepts(const sdk::TargetUrl& url) const override;
};

}  // namespace smbhub::providers
