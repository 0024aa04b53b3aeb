// HMAC-SHA256, the one MAC both delivery signatures use (X-SMB-Signature and Standard
// Webhooks' webhook-signature).
//
// Thread-safety: safe from any thread at once: the algorithm is fetched once and then only read,
// and each thread signs with an HMAC context of its own.
#pragma once

#include <string>
#include <string_view>

namespace smbhub::crypto {

// The 32-byte MAC of `message` under `key` (any length, any bytes). Throws std::runtime_error
// only if OpenSSL itself fails.
std::string hmacSha256(std::string_view key, std::string_view message);

}  // namespace smbhub::crypto
