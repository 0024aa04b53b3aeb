// GET/POST/PATCH/DELETE of integrations (SPEC §7).
#include <Poco/JSON/Array.h>

#include <algorithm>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/JsonViews.h"
#include "api/OwnedIntegration.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "core/Json.h"
#include "core/Random.h"
#include "delivery/TargetUrlPolicy.h"
#include "plugins/ProviderCatalogue.h"

namespace smbhub::api {
namespace {

constexpr std::size_t kMaxDisplayName = 200;
constexpr std::size_t kMaxSettingValue = 4096;

// The provider a new integration names, or the error a client should see.
const plugins::LoadedProvider& webhookProvider(const ApiServices& s, const std::string& id) {
    const plugins::LoadedProvider* provider = s.plugins.find(id);
    if (!provider) {
        for (const auto& report : s.plugins.reports()) {
            if (report.id == id) {
                throw ApiError::providerUnavailable("provider " + id + " is not available on this hub (" +
                                                    report.reason + ")");
            }
        }
        if (plugins::findSeedProvider(id)) {
            throw ApiError::providerUnavailable("provider " + id + " is not enabled on this hub");
        }
        throw ApiError::invalid("unknown provider \"" + id + "\"", "provider");
    }
    if (provider->info.kind != sdk::ProviderKind::Webhook) {
        throw ApiError::invalid(id + " is connected with OAuth: use /api/integrations/" + id + "/start",
                                "provider");
    }
    if (provider->info.status != sdk::ProviderStatus::Live || !provider->configured) {
        throw ApiError::providerUnavailable("provider " + id + " is not available yet");
    }
    return *provider;
}

void requireSupportedEvents(const plugins::LoadedProvider& provider, const std::vector<std::string>& events) {
    const auto& supported = provider.info.events;
    for (const auto& e : events) {
        if (std::find(supported.begin(), supported.end(), e) == supported.end()) {
            throw ApiError::invalid(provider.id + " does not receive " + e, "events");
        }
    }
}

struct SplitSettings {
    std::map<std::string, std::string> all;     // what the plugin validates
    std::map<std::string, std::string> secret;  // sealed at rest
    Poco::JSON::Object::Ptr visible = core::orderedObject();
};

SplitSettings readSettings(const Poco::JSON::Object::Ptr& body, const plugins::LoadedProvider& provider) {
    SplitSettings out;
    Poco::JSON::Object::Ptr given = new Poco::JSON::Object();
    if (body->has("settings") && !body->isNull("settings")) given = requireObject(body, "settings");
    const auto& fields = provider.info.settingFields;
    for (const auto& member : *given) {
        const std::string& name = member.first;
        const Poco::Dynamic::Var& value = member.second;
        const auto field = std::find_if(fields.begin(), fields.end(),
                                        [&](const sdk::SettingField& f) { return f.name == name; });
        const std::string path = "settings." + name;
        if (field == fields.end()) throw ApiError::invalid(provider.id + " has no setting " + name, path);
        if (!value.isString()) throw ApiError::invalid(path + " must be a string", path);
        const std::string text = value.extract<std::string>();
        if (text.size() > kMaxSettingValue) throw ApiError::invalid(path + " is too long", path);
        out.all[name] = text;
        if (field->secret) out.secret[name] = text;
        else out.visible->set(name, text);
    }
    for (const auto& f : fields) {
        if (f.required && !out.all.count(f.name)) {
            throw ApiError::invalid("settings." + f.name + " is required", "settings." + f.name);
        }
    }
    return out;
}

Poco::JSON::Object::Ptr view(const ApiServices& s, const store::Integration& integration) {
    const plugins::LoadedProvider* provider = s.plugins.find(integration.provider);
    return integrationJson(integration, provider ? provider->info.requestLimit : 0);
}

void create(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"provider", "displayName", "targetUrl", "events", "settings"});
    const plugins::LoadedProvider& provider = webhookProvider(s, requireString(body, "provider", 64));
    const std::string displayName = requireString(body, "displayName", kMaxDisplayName);
    const std::string rawUrl = requireString(body, "targetUrl", 2048);
    const auto url = delivery::checkTargetUrl(
        rawUrl, {s.config.delivery.allowHttp, s.config.delivery.allowPrivateNetworks});
    if (!url.url) throw ApiError::invalid(url.error, "targetUrl");
    const auto events = requireEventTypes(body, "events");
    requireSupportedEvents(provider, events);
    const SplitSettings settings = readSettings(body, provider);

    sdk::Validation verdict;
    try {
        verdict = provider.provider->validate({*url.url, settings.all});
    } catch (const std::exception& e) {
        verdict = sdk::Validation::reject("targetUrl", provider.id + " could not check it: " + e.what());
    } catch (...) {
        verdict = sdk::Validation::reject("targetUrl", provider.id + " could not check it");
    }
    if (!verdict.ok) {
        throw ApiError::invalid(verdict.message, verdict.field.empty() ? "targetUrl" : verdict.field);
    }

    store::Integration integration;
    integration.id = core::newId("int");
    integration.accountId = r.account().id;
    integration.provider = provider.id;
    integration.kind = "webhook";
    integration.displayName = displayName;
    integration.targetUrl = url.url->raw;
    integration.events = events;
    integration.settingsJson = core::condensedJson(settings.visible);
    integration.secretSettingsSealed = s.vault.sealSettings(integration.id, settings.secret);
    const std::string signingSecret = integrations::newSigningSecret();
    integration.signingSecretSealed = s.vault.sealSigningSecret(integration.id, signingSecret);
    integration.createdAt = integration.updatedAt = core::nowMillis();
    s.store.createIntegration(integration);

    auto out = view(s, integration);
    out->set("signingSecret", signingSecret);  // the only time it is ever shown
    sendJson(r.response, 201, out);
}

void list(ApiServices& s, ApiRequest& r) {
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& i : s.store.listIntegrations(r.account().id)) items->add(view(s, i));
    auto out = core::orderedObject();
    out->set("integrations", items);
    sendJson(r.response, 200, out);
}

void get(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    auto out = view(s, integration);
    out->set("stats", deliveryStatsJson(s.store.deliveryStats(integration.id)));
    sendJson(r.response, 200, out);
}

void patch(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"displayName", "status", "events"});
    if (body->size() == 0) throw ApiError::invalid("give at least one of displayName, status, events");
    store::Integration integration = ownedIntegration(s, r);
    if (auto name = optionalString(body, "displayName", kMaxDisplayName)) {
        if (name->empty()) throw ApiError::invalid("displayName must not be empty", "displayName");
        integration.displayName = *name;
    }
    if (auto status = optionalString(body, "status", 16)) {
        if (*status != "active" && *status != "paused") {
            throw ApiError::invalid("status must be active or paused", "status");
        }
        integration.status = *status;
        integration.statusReason.clear();
    }
    if (body->has("events")) {
        integration.events = requireEventTypes(body, "events");
        if (const auto* provider = s.plugins.find(integration.provider)) {
            requireSupportedEvents(*provider, integration.events);
        }
    }
    integration.updatedAt = core::nowMillis();
    if (!s.store.updateIntegration(integration)) throw ApiError::notFound("no integration " + r.param("id"));
    if (integration.status == "active") s.wakeDelivery();  // held deliveries may flow again
    sendJson(r.response, 200, view(s, integration));
}

void remove(ApiServices& s, ApiRequest& r) {
    if (!s.store.deleteIntegration(r.account().id, r.param("id"))) {
        throw ApiError::notFound("no integration " + r.param("id"));
    }
    sendNoContent(r.response);
}

}  // namespace

void addIntegrationRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations", Access::PaidAccount, [&s](ApiRequest& r) { list(s, r); });
    router.add("POST", "/api/integrations/webhook", Access::PaidAccount, [&s](ApiRequest& r) { create(s, r); });
    router.add("GET", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { get(s, r); });
    router.add("PATCH", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { patch(s, r); });
    router.add("DELETE", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { remove(s, r); });
}

}  // namespace smbhub::api
