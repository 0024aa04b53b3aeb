// GET/POST/PATCH/DELETE of integrations (SPEC §7) and the rotation of their signing secret
// (SPEC §15).
#include <Poco/JSON/Array.h>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/JsonViews.h"
#include "api/IntegrationProblems.h"
#include "api/OwnedIntegration.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "core/Json.h"

namespace smbhub::api {
namespace {

using integrations::IntegrationService;

Poco::JSON::Object::Ptr view(const ApiServices& s, const store::Integration& integration) {
    return integrationJson(integration, s.integrations.requestLimit(integration), core::nowMillis());
}

// rateLimitPerSecond as the client sent it: absent (nullopt), a whole number from 1, or null for
// no limit (0).
std::optional<int> rateLimitOf(const Poco::JSON::Object::Ptr& body) {
    if (!body->has("rateLimitPerSecond")) return std::nullopt;
    const auto value = optionalInteger(body, "rateLimitPerSecond", 1, IntegrationService::kMaxRateLimitPerSecond);
    return static_cast<int>(value.value_or(0));
}

// `settings` as the client sent it: an object of strings (the service checks the names).
std::map<std::string, std::string> settingsOf(const Poco::JSON::Object::Ptr& body) {
    std::map<std::string, std::string> out;
    if (!body->has("settings") || body->isNull("settings")) return out;
    for (const auto& member : *requireObject(body, "settings")) {
        const std::string path = "settings." + member.first;
        if (!member.second.isString()) throw ApiError::invalid(path + " must be a string", path);
        out[member.first] = member.second.extract<std::string>();
    }
    return out;
}

void create(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"provider", "displayName", "targetUrl", "events", "settings", "rateLimitPerSecond"});
    integrations::NewIntegration request;
    request.provider = requireString(body, "provider", 64);
    request.displayName = requireString(body, "displayName", IntegrationService::kMaxDisplayName);
    request.targetUrl = requireString(body, "targetUrl", 2048);
    request.events = requireEventTypes(body, "events");
    request.settings = settingsOf(body);
    request.rateLimitPerSecond = rateLimitOf(body).value_or(0);
    const auto created = valueOrThrow(s.integrations.create(r.account().id, request));
    auto out = view(s, created.integration);
    out->set("signingSecret", created.signingSecret);  // the only time it is ever shown
    sendJson(r.response, 201, out);
}

void list(ApiServices& s, ApiRequest& r) {
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& i : s.integrations.list(r.account().id)) items->add(view(s, i));
    auto out = core::orderedObject();
    out->set("integrations", items);
    sendJson(r.response, 200, out);
}

void get(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    auto out = view(s, integration);
    out->set("stats", deliveryStatsJson(s.stores.deliveries.stats(integration.id, core::nowMillis())));
    sendJson(r.response, 200, out);
}

void patch(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"displayName", "status", "events", "rateLimitPerSecond"});
    if (body->size() == 0) {
        throw ApiError::invalid("give at least one of displayName, status, events, rateLimitPerSecond");
    }
    integrations::IntegrationChange change;
    change.displayName = optionalString(body, "displayName", IntegrationService::kMaxDisplayName);
    change.status = optionalString(body, "status", 16);
    if (body->has("events")) change.events = requireEventTypes(body, "events");
    change.rateLimitPerSecond = rateLimitOf(body);
    const auto integration = valueOrThrow(s.integrations.change(r.account().id, r.param("id"), change));
    sendJson(r.response, 200, view(s, integration));
}

void rotateSecret(ApiServices& s, ApiRequest& r) {
    const auto body = r.optionalJsonBody();
    rejectUnknownFields(body, {"overlapSeconds"});
    const std::int64_t overlap = optionalInteger(body, "overlapSeconds", 0, IntegrationService::kMaxOverlapSeconds)
                                     .value_or(IntegrationService::kDefaultOverlapSeconds);
    const auto rotated = valueOrThrow(s.integrations.rotateSecret(r.account().id, r.param("id"), overlap));
    auto out = core::orderedObject();
    out->set("signingSecret", rotated.signingSecret);  // shown this once, like at creation
    out->set("previousSecretExpiresAt", core::isoUtc(rotated.previousSecretExpiresAt));
    sendJson(r.response, 200, out);
}

void remove(ApiServices& s, ApiRequest& r) {
    if (const auto problem = s.integrations.remove(r.account().id, r.param("id"))) throw toApiError(*problem);
    sendNoContent(r.response);
}

}  // namespace

void addIntegrationRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations", Access::PaidAccount, [&s](ApiRequest& r) { list(s, r); });
    router.add("POST", "/api/integrations/webhook", Access::PaidAccount, [&s](ApiRequest& r) { create(s, r); });
    router.add("GET", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { get(s, r); });
    router.add("PATCH", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { patch(s, r); });
    router.add("DELETE", "/api/integrations/:id", Access::PaidAccount, [&s](ApiRequest& r) { remove(s, r); });
    router.add("POST", "/api/integrations/:id/rotate-secret", Access::PaidAccount,
               [&s](ApiRequest& r) { rotateSecret(s, r); });
}

}  // namespace smbhub::api
