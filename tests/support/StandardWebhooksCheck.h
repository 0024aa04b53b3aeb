// An independent check of the hub's Standard Webhooks headers (SPEC §15), written against the
// Standard Webhooks specification with OpenSSL directly — it shares no code with the hub:
//   webhook-signature: v1,<base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>"))>
// with key = the standard base64 after "whsec_" of a secret in the hub's current format.
// Stateless, thread-safe.
#pragma once

#include <string>

namespace smbhub::test {

class StandardWebhooksCheck {
public:
    // True for "whsec_" + padded standard base64 of exactly 32 bytes (44 characters).
    static bool isStandardSecret(const std::string& secret);
    // "v1,<base64>"; throws std::invalid_argument unless isStandardSecret(secret).
    static std::string expectedSignature(const std::string& secret, const std::string& webhookId,
                                         const std::string& webhookTimestamp,
                                         const std::string& rawBody);
};

}  // namespace smbhub::test
