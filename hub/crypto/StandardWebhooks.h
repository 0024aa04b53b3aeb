// Standard Webhooks signatures (SPEC §15, https://www.standardwebhooks.com), sent beside the
// seed's X-SMB-Signature so that receivers can use the off-the-shelf verifiers (the
// `standardwebhooks` libraries, Svix's):
//
//   webhook-id:        the delivery id
//   webhook-timestamp: <t>, the same unix seconds as X-SMB-Signature
//   webhook-signature: v1,<base64(HMAC-SHA256(key, "<webhook-id>.<t>.<rawBody>"))>
//
// The key is what those libraries derive from a "whsec_…" secret: the part after "whsec_",
// base64-decoded. Secrets made since issue 13 are "whsec_" + standard, padded base64 of 32 random
// bytes. Older secrets are "whsec_" + unpadded base64url of 32 random bytes; they decode to their
// 32 bytes too, because the decoder takes either alphabet, with or without padding (both
// alphabets read an alphanumeric string the same way, and the hub never mixes them). A secret
// that does not decode at all — the hub never makes one — is used as it is: key = the whole
// secret's bytes, the same key as X-SMB-Signature (the libraries' "raw" secret format).
//
// During a rotation one header carries a signature per secret, newest first, separated by
// spaces ("v1,<new> v1,<old>"); verifiers accept a request when any of them matches.
// Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace smbhub::crypto {

// The HMAC key for `signingSecret` under the rule above.
std::string standardWebhooksKey(std::string_view signingSecret);

// "v1,<base64>" for one secret.
std::string standardWebhooksSignature(std::string_view signingSecret, std::string_view webhookId,
                                      std::int64_t unixSeconds, std::string_view body);

// The webhook-signature header value: one "v1,<base64>" per secret in the order given (newest
// first), separated by single spaces. `signingSecrets` is not empty.
std::string webhookSignatureHeader(std::span<const std::string> signingSecrets,
                                   std::string_view webhookId, std::int64_t unixSeconds,
                                   std::string_view body);

}  // namespace smbhub::crypto
