// X-SMB-Signature, version 1 (SPEC §8): "t=<unix seconds>,v1=<hex>" where
// v1 = HMAC-SHA256(key = the signing secret exactly as given to the user, "<t>." + rawBody).
// During a secret rotation (SPEC §15) one header carries a v1 per secret, newest first:
// "t=…,v1=<new>,v1=<old>" — the seed's snippet and stripe-node's verifier take any of them.
// Stateless, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace smbhub::crypto {

std::string hmacSha256Hex(std::string_view key, std::string_view message);

// The full header value for `body` signed at `unixSeconds` with one secret.
std::string signatureV1Header(std::string_view secret, std::int64_t unixSeconds,
                              std::string_view body);
// The same with one v1 per secret, in the order given (newest first). `secrets` is not empty.
std::string signatureV1Header(std::span<const std::string> secrets, std::int64_t unixSeconds,
                              std::string_view body);

// True when any v1 of the header signs `body` with `secret` (timing-safe); no timestamp
// tolerance is applied here.
bool verifySignatureV1(std::string_view secret, std::string_view header, std::string_view body);

}  // namespace smbhub::crypto
