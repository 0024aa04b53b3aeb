#include "integrations/KeyRotation.h"

namespace smbhub::integrations {

KeyRotation::KeyRotation(std::string currentKey, std::string newKey)
    : current_(crypto::SecretBox(std::move(currentKey))), next_(crypto::SecretBox(std::move(newKey))) {}

store::SealedSecrets KeyRotation::reseal(const store::SealedSecrets& row) {
    store::Integration integration;  // the vault opens values by the row they belong to
    integration.id = row.integrationId;
    integration.signingSecretSealed = row.signingSecret;
    integration.secretSettingsSealed = row.secretSettings;
    store::SealedSecrets out = row;

    if (!row.signingSecret.empty()) {
        if (const auto secret = current_.openSigningSecret(integration)) {
            out.signingSecret = next_.sealSigningSecret(row.integrationId, *secret);
            ++rotated_;
        } else if (next_.openSigningSecret(integration)) {
            ++alreadyRotated_;
        } else {
            throw RotationError("the signing secret of integration " + row.integrationId +
                                " opens with neither the current secrets.key nor the new key");
        }
    }
    if (!row.previousSigningSecret.empty()) {
        // The secret a rotation replaced, still signing during its overlap: sealed like the
        // current one (the same associated data), so opened through the same door.
        store::Integration previous = integration;
        previous.signingSecretSealed = row.previousSigningSecret;
        if (const auto secret = current_.openSigningSecret(previous)) {
            out.previousSigningSecret = next_.sealSigningSecret(row.integrationId, *secret);
            ++rotated_;
        } else if (next_.openSigningSecret(previous)) {
            ++alreadyRotated_;
        } else {
            throw RotationError("the previous signing secret of integration " + row.integrationId +
                                " opens with neither the current secrets.key nor the new key");
        }
    }
    if (!row.secretSettings.empty()) {
        if (const auto settings = current_.openSettings(integration)) {
            out.secretSettings = next_.sealSettings(row.integrationId, *settings);
            ++rotated_;
        } else if (next_.openSettings(integration)) {
            ++alreadyRotated_;
        } else {
            throw RotationError("the secret settings of integration " + row.integrationId +
                                " open with neither the current secrets.key nor the new key");
        }
    }
    return out;
}

}  // namespace smbhub::integrations
