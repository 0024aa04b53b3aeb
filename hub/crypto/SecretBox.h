// Encryption at rest for signing secrets and secret settings (SPEC §11): AES-256-GCM with the
// operator's 32-byte `secrets.key`. A sealed value is "v1:" + base64(nonce | ciphertext | tag);
// the record id is bound in as associated data so a sealed secret cannot be moved to another row.
//
// Thread-safety: immutable once built; seal() and open() may be called from any thread at once
// (each call uses a cipher context of its own).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbhub::crypto {

class SecretBox {
public:
    // `key` must be exactly 32 bytes; throws std::invalid_argument otherwise.
    explicit SecretBox(std::string key);

    std::string seal(std::string_view plaintext, std::string_view associatedData) const;
    // nullopt when the value was not sealed with this key and associated data.
    std::optional<std::string> open(std::string_view sealed, std::string_view associatedData) const;

private:
    std::string key_;
};

}  // namespace smbhub::crypto
