// X-SMB-Signature, version 1 (SPEC §8): "t=<unix seconds>,v1=<hex>" where
// v1 = HMAC-SHA256(key = the signing secret exactly as given to the user, "<t>." + rawBody).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace smbhub::crypto {

std::string hmacSha256Hex(std::string_view key, std::string_view message);

// The full header value for `body` signed at `unixSeconds`.
std::string signatureV1Header(std::string_view secret, std::int64_t unixSeconds,
                              std::string_view body);

// Verifies a header value against `body` (timing-safe); no timestamp tolerance is applied here.
bool verifySignatureV1(std::string_view secret, std::string_view header, std::string_view body);

}  // namespace smbhub::crypto
