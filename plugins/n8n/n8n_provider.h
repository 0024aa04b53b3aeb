// n8n (SPEC §9): a Webhook node's production (/webhook/…) or test (/webhook-test/…) URL receives
// the signed envelope unchanged. n8n runs in n8n Cloud (<name>.app.n8n.cloud) or self-hosted
// under any host, port and base path, so only the path is checked: the node's URL is always
// <base>/webhook/<path> or <base>/webhook-test/<path>.
//
// Thread-safety: stateless after construction, safe from any thread.
#pragma once

#include "common/envelope_webhook_provider.h"

namespace smbhub::providers {

class N8nProvider final : public EnvelopeWebhookProvider {
public:
    N8nProvider();

private:
    bool accepts(const sdk::TargetUrl& url) const override;
};

}  // namespace smbhub::providers
