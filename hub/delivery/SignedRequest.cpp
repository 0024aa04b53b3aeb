#include "delivery/SignedRequest.h"

#include <Poco/String.h>

#include <array>

#include "crypto/SignatureV1.h"
#include "crypto/StandardWebhooks.h"

namespace smbhub::delivery {
namespace {

bool isReserved(const std::string& name) {
    static const std::array<std::string, 11> reserved = {
        "content-type", "content-length", "host", "user-agent", "connection",
        // Standard Webhooks' headers are the hub's too. Svix's verifier reads svix-* in
        // preference to webhook-*, so a plugin's svix-* header would hide the hub's signature.
        "webhook-id", "webhook-timestamp", "webhook-signature",
        "svix-id", "svix-timestamp", "svix-signature"};
    const std::string lower = Poco::toLower(name);
    if (lower.rfind("x-smb-", 0) == 0) return true;
    for (const auto& r : reserved) {
        if (lower == r) return true;
    }
    // A header name or value with CR/LF would let a plugin inject headers.
    return name.find_first_of("\r\n:") != std::string::npos;
}

}  // namespace

const std::string& userAgent() {
    static const std::string agent = std::string("SMBSalesBoost-Hub/") + SMBHUB_VERSION;
    return agent;
}

HttpRequest signedRequest(const sdk::TargetUrl& target, const sdk::OutboundRequest& rendered,
                          const DeliveryHeaders& headers, const std::string& signingSecret,
                          std::int64_t unixSeconds, std::chrono::milliseconds timeout) {
    return signedRequest(target, rendered, headers, std::span<const std::string>(&signingSecret, 1),
                         unixSeconds, timeout);
}

HttpRequest signedRequest(const sdk::TargetUrl& target, const sdk::OutboundRequest& rendered,
                          const DeliveryHeaders& headers, std::span<const std::string> signingSecrets,
                          std::int64_t unixSeconds, std::chrono::milliseconds timeout) {
    HttpRequest request;
    request.scheme = target.scheme;
    request.host = target.host;
    request.port = static_cast<std::uint16_t>(target.port);
    request.target = target.query.empty() ? target.path : target.path + "?" + target.query;
    request.timeout = timeout;
    request.body = rendered.body;
    request.headers.reserve(10 + rendered.headers.size());
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("User-Agent", userAgent());
    request.headers.emplace_back("X-SMB-Event", headers.eventType);
    request.headers.emplace_back("X-SMB-Event-Id", headers.eventId);
    request.headers.emplace_back("X-SMB-Delivery", headers.deliveryId);
    request.headers.emplace_back("X-SMB-Attempt", std::to_string(headers.attempt));
    request.headers.emplace_back("X-SMB-Signature",
                                 crypto::signatureV1Header(signingSecrets, unixSeconds, request.body));
    // Standard Webhooks (SPEC §15): the id is the delivery id, stable across retries and shared
    // by every request of a multi-request delivery (one per Clay row), like X-SMB-Delivery.
    request.headers.emplace_back("webhook-id", headers.deliveryId);
    request.headers.emplace_back("webhook-timestamp", std::to_string(unixSeconds));
    request.headers.emplace_back(
        "webhook-signature",
        crypto::webhookSignatureHeader(signingSecrets, headers.deliveryId, unixSeconds, request.body));
    for (const auto& h : rendered.headers) {
        if (!isReserved(h.name) && h.value.find_first_of("\r\n") == std::string::npos) {
            request.headers.emplace_back(h.name, h.value);
        }
    }
    return request;
}

}  // namespace smbhub::delivery
