// Re-sealing every stored secret under a new `secrets.key` (SPEC §14, `smb-hub secrets
// rotate-key`). For each sealed value of an integration (its signing secret, its secret settings):
// - it opens with the current key: it is sealed again under the new key (counted as rotated);
// - it already opens with the new key (a rotation that was run before, or run again): it is left
//   as it is (counted as already rotated) — so running the command twice is safe;
// - it opens with neither: RotationError naming the integration and the value, and (the store
//   runs this inside one transaction) nothing is changed.
// The associated data binding a value to its row stays the same (integrations/IntegrationVault).
//
// Thread-safety: none; one rotation at a time.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "crypto/SecretBox.h"
#include "integrations/IntegrationVault.h"
#include "store/IntegrationStore.h"

namespace smbhub::integrations {

class RotationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class KeyRotation {
public:
    KeyRotation(std::string currentKey, std::string newKey);

    // What `row` should hold under the new key. Throws RotationError.
    store::SealedSecrets reseal(const store::SealedSecrets& row);

    std::size_t rotated() const { return rotated_; }
    std::size_t alreadyRotated() const { return alreadyRotated_; }

private:
    IntegrationVault current_;
    IntegrationVault next_;
    std::size_t rotated_ = 0;
    std::size_t alreadyRotated_ = 0;
};

}  // namespace smbhub::integrations
