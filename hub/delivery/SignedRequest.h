// Turns one request a plugin rendered into the HTTP request the hub sends: the SPEC §8 headers,
// the plugin's extra headers (never the reserved ones), and both signatures over the exact body:
// X-SMB-Signature (SPEC §8) and the Standard Webhooks trio webhook-id / webhook-timestamp /
// webhook-signature (SPEC §15). Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <smbhub/sdk/provider.h>

#include "delivery/HttpSender.h"

namespace smbhub::delivery {

struct DeliveryHeaders {
    std::string eventType;
    std::string eventId;
    std::string deliveryId;
    int attempt = 1;
};

// Signed with every secret in `signingSecrets` (newest first; several during a rotation, SPEC
// §15), all at `unixSeconds`. `signingSecrets` is not empty.
HttpRequest signedRequest(const sdk::TargetUrl& target, const sdk::OutboundRequest& rendered,
                          const DeliveryHeaders& headers, std::span<const std::string> signingSecrets,
                          std::int64_t unixSeconds, std::chrono::milliseconds timeout);
// The same with one secret.
HttpRequest signedRequest(const sdk::TargetUrl& target, const sdk::OutboundRequest& rendered,
                          const DeliveryHeaders& headers, const std::string& signingSecret,
                          std::int64_t unixSeconds, std::chrono::milliseconds timeout);

// "SMBSalesBoost-Hub/<version>"
const std::string& userAgent();

}  // namespace smbhub::delivery
