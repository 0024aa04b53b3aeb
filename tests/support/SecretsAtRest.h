// How the hub keeps secrets in its database, as docs/architecture.md states it, re-implemented
// with OpenSSL so a test can prove what is stored rather than only that the plain value is
// absent: signing secrets and secret settings are sealed with AES-256-GCM under `secrets.key`,
// bound to their row ("v1:" + base64(nonce | ciphertext | tag), associated data
// "signing:<integration id>" or "settings:<integration id>"); API keys are stored as the
// SHA-256 hex digest of the whole key. Shares no code with the hub. Stateless, thread-safe.
#pragma once

#include <optional>
#include <string>

namespace smbhub::test {

class SecretsAtRest {
public:
    // The plaintext, or nullopt when `sealed` was not sealed under `key` (32 bytes) with this
    // associated data (or is not a sealed value at all).
    static std::optional<std::string> open(const std::string& sealed, const std::string& key,
                                           const std::string& associatedData);
    // Lowercase hex of SHA-256(`apiKey`).
    static std::string apiKeyHash(const std::string& apiKey);
};

}  // namespace smbhub::test
