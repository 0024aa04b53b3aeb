#include "n8n_provider.h"

#include <algorithm>

#include "common/url_match.h"

namespace smbhub::providers {

N8nProvider::N8nProvider()
    : EnvelopeWebhookProvider(
          "n8n", "n8n", "Webhook node with HMAC signature",
          "targetUrl must be an n8n Webhook node URL, with /webhook/ or /webhook-test/ followed "
          "by the node's path, like https://acme.app.n8n.cloud/webhook/leads") {}

bool N8nProvider::accepts(const sdk::TargetUrl& url) const {
    const auto segments = pathSegments(url.path);
    for (auto at = segments.begin(); at != segments.end(); ++at) {
        if (*at != "webhook" && *at != "webhook-test") continue;
        // The node's own path must follow; "/webhook/" alone names no node.
        if (std::any_of(at + 1, segments.end(), [](std::string_view s) { return !s.empty(); })) {
            return true;
        }
    }
    return false;
}

}  // namespace smbhub::providers
