// Turns one request a plugin rendered into the HTTP request the hub sends: the SPEC §8 headers,
// the plugin's extra headers (never the reserved ones), and X-SMB-Signature over the exact body.
#pragma once

#include <cstdint>
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

HttpRequest signedRequest(const sdk::TargetUrl& target, const sdk::OutboundRequest& rendered,
                          const DeliveryHeaders& headers, const std::string& signingSecret,
                          std::int64_t unixSeconds, std::chrono::milliseconds timeout);

// "SMBSalesBoost-Hub/<version>"
const std::string& userAgent();

}  // namespace smbhub::delivery
