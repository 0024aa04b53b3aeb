#include "integrations/IntegrationVault.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>


#include "core/Encoding.h"
#include "core/Json.h"
#include "core/Random.h"

namespace smbhub::integrations {

std::string newSigningSecret() { return "whsec_" + core::base64Encode(core::randomBytes(32)); }

std::string IntegrationVault::sealSigningSecret(const std::string& integrationId,
                                                const std::string& secret) const {
    return box_.seal(secret, "signing:" + integrationId);
}

std::optional<std::string> IntegrationVault::openSigningSecret(
    const store::Integration& integration) const {
    return box_.open(integration.signingSecretSealed, "signing:" + integration.id);
}

std::optional<SigningSecrets> IntegrationVault::openSigningSecrets(const store::Integration& integration,
                                                                   std::int64_t nowMillis) const {
    auto current = openSigningSecret(integration);
    if (!current) return std::nullopt;
    if (integration.previousSigningSecretSealed.empty() || integration.previousSecretExpiresAt <= nowMillis) {
        return SigningSecrets(std::move(*current));
    }
    auto previous = box_.open(integration.previousSigningSecretSealed, "signing:" + integration.id);
    if (!previous) return std::nullopt;
    return SigningSecrets(std::move(*current), std::move(*previous), integration.previousSecretExpiresAt);
}

std::string IntegrationVault::sealSettings(const std::string& integrationId,
                                           const std::map<std::string, std::string>& settings) const {
    if (settings.empty()) return "";
    Poco::JSON::Object::Ptr object = core::orderedObject();
    for (const auto& [key, value] : settings) object->set(key, value);
    return box_.seal(core::condensedJson(object), "settings:" + integrationId);
}

std::optional<std::map<std::string, std::string>> IntegrationVault::openSettings(
    const store::Integration& integration) const {
    std::map<std::string, std::string> out;
    if (integration.secretSettingsSealed.empty()) return out;
    const auto json = box_.open(integration.secretSettingsSealed, "settings:" + integration.id);
    if (!json) return std::nullopt;
    const auto object = Poco::JSON::Parser().parse(*json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) out[key] = value.convert<std::string>();
    return out;
}

}  // namespace smbhub::integrations
