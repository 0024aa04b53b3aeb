// GET /api/integrations/providers: every provider the hub knows of, with `available` as the
// runtime truth (loaded, enabled, configured).
#include <Poco/JSON/Array.h>

#include "api/ApiServices.h"
#include "api/JsonResponse.h"
#include "api/Router.h"

namespace smbhub::api {
namespace {

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
    for (const auto& i : items) out->add(i);
    return out;
}

void providers(ApiServices& s, ApiRequest& r) {
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& p : s.plugins.providers()) {
        const sdk::ProviderInfo& info = p.info;
        auto item = newObject();
        item->set("id", info.id);
        item->set("name", info.name);
        item->set("kind", info.kind == sdk::ProviderKind::Webhook ? "webhook" : "oauth");
        item->set("status", info.status == sdk::ProviderStatus::Live ? "live" : "coming_soon");
        item->set("available", p.configured);
        item->set("description", info.description);
        item->set("events", strings(info.events));
        Poco::JSON::Array::Ptr settings = new Poco::JSON::Array();
        for (const auto& f : info.settingFields) {
            auto field = newObject();
            field->set("name", f.name);
            field->set("description", f.description);
            field->set("required", f.required);
            field->set("secret", f.secret);
            settings->add(field);
        }
        item->set("settings", settings);
        items->add(item);
    }
    // Libraries that were found but refused or not enabled are listed as unavailable.
    for (const auto& report : s.plugins.reports()) {
        if (report.state == "loaded" || report.id.empty() || s.plugins.find(report.id)) continue;
        auto item = newObject();
        item->set("id", report.id);
        item->set("name", report.id);
        item->set("available", false);
        item->set("description", report.reason);
        item->set("events", strings({}));
        items->add(item);
    }
    auto out = newObject();
    out->set("providers", items);
    sendJson(r.response, 200, out);
}

}  // namespace

void addProviderRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations/providers", Access::AnyCaller, [&s](ApiRequest& r) { providers(s, r); });
}

}  // namespace smbhub::api
