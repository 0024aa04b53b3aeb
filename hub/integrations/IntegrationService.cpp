#include "integrations/IntegrationService.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "core/Clock.h"
#include "core/Json.h"
#include "core/Random.h"
#include "plugins/ProviderCatalogue.h"

namespace smbhub::integrations {
namespace {

IntegrationProblem invalid(std::string message, std::string field) {
    return {IntegrationProblem::Kind::Invalid, std::move(message), std::move(field)};
}

IntegrationProblem unavailable(std::string message) {
    return {IntegrationProblem::Kind::ProviderUnavailable, std::move(message), ""};
}

IntegrationProblem notFound(const std::string& id) {
    return {IntegrationProblem::Kind::NotFound, "no integration " + id, ""};
}

std::optional<IntegrationProblem> unsupportedEvent(const plugins::LoadedProvider& provider,
                                                   const std::vector<std::string>& events) {
    const auto& supported = provider.info.events;
    for (const auto& e : events) {
        if (std::find(supported.begin(), supported.end(), e) == supported.end()) {
            return invalid(provider.id + " does not receive " + e, "events");
        }
    }
    return std::nullopt;
}

// 0 is no limit.
std::optional<IntegrationProblem> badRateLimit(int perSecond) {
    if (perSecond >= 0 && perSecond <= IntegrationService::kMaxRateLimitPerSecond) return std::nullopt;
    return invalid("rateLimitPerSecond must be a whole number from 1 to " +
                       std::to_string(IntegrationService::kMaxRateLimitPerSecond) + ", or null for no limit",
                   "rateLimitPerSecond");
}

// The settings a client gave, checked against the fields the provider declares and split into
// what is returned by the API and what is sealed at rest.
struct SplitSettings {
    std::map<std::string, std::string> all;     // what the plugin validates
    std::map<std::string, std::string> secret;  // sealed at rest, never returned
    Poco::JSON::Object::Ptr visible = core::orderedObject();
};

Outcome<SplitSettings> splitSettings(const std::map<std::string, std::string>& given,
                                     const plugins::LoadedProvider& provider) {
    SplitSettings out;
    const auto& fields = provider.info.settingFields;
    for (const auto& [name, text] : given) {
        const std::string path = "settings." + name;
        const auto field = std::find_if(fields.begin(), fields.end(),
                                        [&name = name](const sdk::SettingField& f) { return f.name == name; });
        if (field == fields.end()) return invalid(provider.id + " has no setting " + name, path);
        if (text.size() > IntegrationService::kMaxSettingValue) return invalid(path + " is too long", path);
        out.all[name] = text;
        if (field->secret) out.secret[name] = text;
        else out.visible->set(name, text);
    }
    for (const auto& f : fields) {
        if (f.required && !out.all.count(f.name)) {
            return invalid("settings." + f.name + " is required", "settings." + f.name);
        }
    }
    return out;
}

// The provider's own verdict on a destination; its failure is a refusal, never a crash.
sdk::Validation validateWith(const plugins::LoadedProvider& provider, const sdk::IntegrationInput& input) {
    try {
        return provider.provider->validate(input);
    } catch (const std::exception& e) {
        return sdk::Validation::reject("targetUrl", provider.id + " could not check it: " + e.what());
    } catch (...) {
        return sdk::Validation::reject("targetUrl", provider.id + " could not check it");
    }
}

}  // namespace

IntegrationService::IntegrationService(store::IntegrationStore& store, const plugins::PluginHost& plugins,
                                       const IntegrationVault& vault, destinations::TargetUrlRules urlRules,
                                       std::function<void(const std::string&)> changed)
    : store_(store), plugins_(plugins), vault_(vault), urlRules_(urlRules), changed_(std::move(changed)) {}

Outcome<const plugins::LoadedProvider*> IntegrationService::webhookProvider(const std::string& id) const {
    const plugins::LoadedProvider* provider = plugins_.find(id);
    if (!provider) {
        for (const auto& report : plugins_.reports()) {
            if (report.id == id) {
                return unavailable("provider " + id + " is not available on this hub (" + report.reason + ")");
            }
        }
        if (plugins::findSeedProvider(id)) return unavailable("provider " + id + " is not enabled on this hub");
        return invalid("unknown provider \"" + id + "\"", "provider");
    }
    if (provider->info.kind != sdk::ProviderKind::Webhook) {
        return invalid(id + " is connected with OAuth: use /api/integrations/" + id + "/start", "provider");
    }
    if (provider->info.status != sdk::ProviderStatus::Live || !provider->configured) {
        return unavailable("provider " + id + " is not available yet");
    }
    return provider;
}

Outcome<CreatedIntegration> IntegrationService::create(const std::string& accountId,
                                                       const NewIntegration& request) const {
    const auto found = webhookProvider(request.provider);
    if (const auto* problem = std::get_if<IntegrationProblem>(&found)) return *problem;
    const plugins::LoadedProvider& provider = *std::get<const plugins::LoadedProvider*>(found);
    if (request.displayName.empty()) return invalid("displayName is required", "displayName");
    if (request.displayName.size() > kMaxDisplayName) {
        return invalid("displayName must be at most " + std::to_string(kMaxDisplayName) + " characters", "displayName");
    }
    const auto url = destinations::checkTargetUrl(request.targetUrl, urlRules_);
    if (!url.url) return invalid(url.error, "targetUrl");
    if (auto problem = unsupportedEvent(provider, request.events)) return *problem;
    if (auto problem = badRateLimit(request.rateLimitPerSecond)) return *problem;
    auto split = splitSettings(request.settings, provider);
    if (const auto* problem = std::get_if<IntegrationProblem>(&split)) return *problem;
    const SplitSettings& settings = std::get<SplitSettings>(split);
    const sdk::Validation verdict = validateWith(provider, {*url.url, settings.all});
    if (!verdict.ok) return invalid(verdict.message, verdict.field.empty() ? "targetUrl" : verdict.field);

    CreatedIntegration created;
    store::Integration& integration = created.integration;
    integration.id = core::newId("int");
    integration.accountId = accountId;
    integration.provider = provider.id;
    integration.kind = "webhook";
    integration.displayName = request.displayName;
    integration.targetUrl = url.url->raw;
    integration.events = request.events;
    integration.rateLimitPerSecond = request.rateLimitPerSecond;
    integration.settingsJson = core::condensedJson(settings.visible);
    integration.secretSettingsSealed = vault_.sealSettings(integration.id, settings.secret);
    created.signingSecret = newSigningSecret();
    integration.signingSecretSealed = vault_.sealSigningSecret(integration.id, created.signingSecret);
    integration.createdAt = integration.updatedAt = core::nowMillis();
    store_.create(integration);
    changed_(integration.id);
    return created;
}

Outcome<store::Integration> IntegrationService::change(const std::string& accountId, const std::string& id,
                                                       const IntegrationChange& request) const {
    auto found = find(accountId, id);
    if (const auto* problem = std::get_if<IntegrationProblem>(&found)) return *problem;
    store::Integration integration = std::get<store::Integration>(std::move(found));
    if (request.displayName) {
        if (request.displayName->empty()) return invalid("displayName must not be empty", "displayName");
        if (request.displayName->size() > kMaxDisplayName) {
            return invalid("displayName must be at most " + std::to_string(kMaxDisplayName) + " characters",
                           "displayName");
        }
        integration.displayName = *request.displayName;
    }
    if (request.status) {
        if (*request.status != "active" && *request.status != "paused") {
            return invalid("status must be active or paused", "status");
        }
        integration.status = *request.status;
        integration.statusReason.clear();
    }
    if (request.events) {
        if (const auto* provider = plugins_.find(integration.provider)) {
            if (auto problem = unsupportedEvent(*provider, *request.events)) return *problem;
        }
        integration.events = *request.events;
    }
    if (request.rateLimitPerSecond) {
        if (auto problem = badRateLimit(*request.rateLimitPerSecond)) return *problem;
        integration.rateLimitPerSecond = *request.rateLimitPerSecond;
    }
    integration.updatedAt = core::nowMillis();
    if (!store_.update(integration)) return notFound(id);
    changed_(integration.id);  // a resumed integration's held deliveries may flow again
    return integration;
}

Outcome<RotatedSecret> IntegrationService::rotateSecret(const std::string& accountId, const std::string& id,
                                                       std::int64_t overlapSeconds) const {
    if (overlapSeconds < 0 || overlapSeconds > kMaxOverlapSeconds) {
        return invalid("overlapSeconds must be from 0 to " + std::to_string(kMaxOverlapSeconds) + " (7 days)",
                       "overlapSeconds");
    }
    RotatedSecret rotated;
    rotated.signingSecret = newSigningSecret();
    const std::int64_t now = core::nowMillis();
    rotated.previousSecretExpiresAt = now + overlapSeconds * 1000;
    if (!store_.rotateSigningSecret(accountId, id, vault_.sealSigningSecret(id, rotated.signingSecret),
                                    rotated.previousSecretExpiresAt, now)) {
        return notFound(id);
    }
    changed_(id);  // cached delivery targets must not sign with the old secret alone
    return rotated;
}

std::optional<IntegrationProblem> IntegrationService::remove(const std::string& accountId, const std::string& id) const {
    if (!store_.remove(accountId, id)) return notFound(id);
    changed_(id);
    return std::nullopt;
}

Outcome<store::Integration> IntegrationService::find(const std::string& accountId, const std::string& id) const {
    auto integration = store_.find(accountId, id);
    if (!integration) return notFound(id);
    return std::move(*integration);
}

std::vector<store::Integration> IntegrationService::list(const std::string& accountId) const {
    return store_.list(accountId);
}

unsigned long long IntegrationService::requestLimit(const store::Integration& integration) const {
    const plugins::LoadedProvider* provider = plugins_.find(integration.provider);
    return provider ? provider->info.requestLimit : 0;
}

}  // namespace smbhub::integrations
