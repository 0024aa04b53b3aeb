// GET /api/integrations/providers: the seed's nine providers and any third-party plugin, with
// `available` as the runtime truth (loaded, enabled, configured).
#include <Poco/JSON/Array.h>

#include <set>

#include "api/ApiServices.h"
#include "api/JsonResponse.h"
#include "core/Json.h"
#include "api/Router.h"
#include "plugins/ProviderCatalogue.h"

namespace smbhub::api {
namespace {

Poco::JSON::Object::Ptr providerJson(const sdk::ProviderInfo& info, bool available) {
    auto item = core::orderedObject();
    item->set("id", info.id);
    item->set("name", info.name);
    item->set("kind", info.kind == sdk::ProviderKind::Webhook ? "webhook" : "oauth");
    item->set("status", info.status == sdk::ProviderStatus::Live ? "live" : "coming_soon");
    item->set("available", available);
    item->set("description", info.description);
    if (const std::string hint = plugins::seedUrlHint(info.id); !hint.empty()) item->set("urlHint", hint);
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array();
    for (const auto& e : info.events) events->add(e);
    item->set("events", events);
    Poco::JSON::Array::Ptr settings = new Poco::JSON::Array();
    for (const auto& f : info.settingFields) {
        auto field = core::orderedObject();
        field->set("name", f.name);
        field->set("description", f.description);
        field->set("required", f.required);
        field->set("secret", f.secret);
        settings->add(field);
    }
    item->set("settings", settings);
    return item;
}

void providers(ApiServices& s, ApiRequest& r) {
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    std::set<std::string> listed;
    for (const auto& seed : plugins::seedProviders()) {
        const plugins::LoadedProvider* loaded = s.plugins.find(seed.id);
        items->add(loaded ? providerJson(loaded->info, loaded->configured) : providerJson(seed, false));
        listed.insert(seed.id);
    }
    for (const auto& p : s.plugins.providers()) {  // third-party providers
        if (listed.insert(p.id).second) items->add(providerJson(p.info, p.configured));
    }
    auto out = core::orderedObject();
    out->set("providers", items);
    sendJson(r.response, 200, out);
}

}  // namespace

void addProviderRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations/providers", Access::AnyCaller, [&s](ApiRequest& r) { providers(s, r); });
}

}  // namespace smbhub::api
