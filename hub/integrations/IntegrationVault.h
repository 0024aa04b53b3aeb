// Seals and opens an integration's secrets (its signing secret and the settings its provider
// marks secret) with the operator's secrets key. The integration id is bound in, so a sealed
// value copied to another row does not open.
//
// Thread-safety: immutable once built; every method may be called from any thread at once (see
// SecretBox).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "crypto/SecretBox.h"
#include "integrations/SigningSecrets.h"
#include "store/Records.h"

namespace smbhub::integrations {

class IntegrationVault {
public:
    explicit IntegrationVault(crypto::SecretBox box) : box_(std::move(box)) {}

    std::string sealSigningSecret(const std::string& integrationId, const std::string& secret) const;
    std::optional<std::string> openSigningSecret(const store::Integration& integration) const;
    // The current secret and, while a rotation's overlap still runs at `nowMillis`, the previous
    // one (sealed the same way: a rotation moves the sealed value as it is). An expired previous
    // secret is not opened at all.
    std::optional<SigningSecrets> openSigningSecrets(const store::Integration& integration,
                                                     std::int64_t nowMillis) const;

    // Secret settings as one sealed JSON object; "" when there are none.
    std::string sealSettings(const std::string& integrationId,
                             const std::map<std::string, std::string>& settings) const;
    std::optional<std::map<std::string, std::string>> openSettings(
        const store::Integration& integration) const;

private:
    crypto::SecretBox box_;
};

// A new signing secret as shown once to the user: "whsec_" + standard, padded base64 of 32
// random bytes (44 characters), the form Standard Webhooks verifiers decode (SPEC §15).
// Secrets made before were "whsec_" + unpadded base64url; crypto/StandardWebhooks.h says how
// those still sign.
std::string newSigningSecret();

}  // namespace smbhub::integrations
