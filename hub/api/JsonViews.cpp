#include "api/JsonViews.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "api/JsonResponse.h"
#include "core/Json.h"
#include "core/Clock.h"

namespace smbhub::api {

Poco::JSON::Object::Ptr integrationJson(const store::Integration& i, unsigned long long requestLimit) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", i.id);
    out->set("provider", i.provider);
    out->set("kind", i.kind);
    out->set("displayName", i.displayName);
    out->set("status", i.status);
    if (!i.statusReason.empty()) out->set("statusReason", i.statusReason);
    out->set("targetUrl", i.targetUrl);
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array();
    for (const auto& e : i.events) events->add(e);
    out->set("events", events);
    out->set("settings", Poco::JSON::Parser().parse(i.settingsJson.empty() ? "{}" : i.settingsJson));
    out->set("createdAt", core::isoUtc(i.createdAt));
    out->set("updatedAt", core::isoUtc(i.updatedAt));
    if (i.lastDeliveryAt) out->set("lastDeliveryAt", core::isoUtc(*i.lastDeliveryAt));
    if (requestLimit > 0) {
        auto usage = core::orderedObject();
        usage->set("requestsSent", i.requestsSent);
        usage->set("requestLimit", static_cast<Poco::UInt64>(requestLimit));
        out->set("usage", usage);
        if (static_cast<unsigned long long>(i.requestsSent) * 10 >= requestLimit * 9) {
            out->set("warning", "this destination has accepted " + std::to_string(i.requestsSent) + " of about " +
                                    std::to_string(requestLimit) +
                                    " requests it takes in its lifetime; create a new one before it fills up");
        }
    }
    return out;
}

Poco::JSON::Object::Ptr deliveryStatsJson(const store::DeliveryStats& s) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("total", s.total);
    out->set("pending", s.pending);
    out->set("succeeded", s.succeeded);
    out->set("failed", s.failed);
    out->set("cancelled", s.cancelled);
    return out;
}

Poco::JSON::Object::Ptr attemptJson(const store::Attempt& a) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", a.id);
    out->set("deliveryId", a.deliveryId);
    out->set("eventId", a.eventId);
    out->set("eventType", a.eventType);
    out->set("attempt", a.attempt);
    out->set("status", std::string(store::toString(a.status)));
    if (a.responseStatus) out->set("responseStatus", *a.responseStatus);
    if (a.responseBody) out->set("responseBody", *a.responseBody);
    if (a.error) out->set("error", *a.error);
    out->set("durationMs", a.durationMs);
    out->set("createdAt", core::isoUtc(a.createdAt));
    if (a.nextAttemptAt) out->set("nextAttemptAt", core::isoUtc(*a.nextAttemptAt));
    return out;
}

Poco::JSON::Object::Ptr accountJson(const store::Account& a) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", a.id);
    out->set("name", a.name);
    out->set("plan", a.plan);
    out->set("status", a.status);
    out->set("createdAt", core::isoUtc(a.createdAt));
    return out;
}

Poco::JSON::Object::Ptr apiKeyJson(const store::ApiKey& k) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", k.id);
    out->set("prefix", k.prefix.empty() ? std::string("smbk_") : k.prefix);  // keys from before prefixes
    out->set("createdAt", core::isoUtc(k.createdAt));
    if (k.lastUsedAt) out->set("lastUsedAt", core::isoUtc(*k.lastUsedAt));
    return out;
}

Poco::JSON::Object::Ptr deliveryHistoryJson(const store::DeliveryHistory& h) {
    const store::Delivery& d = h.delivery;
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", d.id);
    out->set("integrationId", d.integrationId);
    out->set("accountId", d.accountId);
    out->set("eventId", d.eventId);
    out->set("eventType", h.eventType);
    out->set("status", std::string(store::toString(d.status)));
    out->set("attemptCount", d.attempts);
    if (d.status == store::DeliveryStatus::Pending) out->set("nextAttemptAt", core::isoUtc(d.nextAttemptAt));
    out->set("createdAt", core::isoUtc(d.createdAt));
    out->set("updatedAt", core::isoUtc(h.updatedAt));
    Poco::JSON::Array::Ptr attempts = new Poco::JSON::Array();
    for (const auto& a : h.attempts) attempts->add(attemptJson(a));
    out->set("attempts", attempts);
    return out;
}

}  // namespace smbhub::api
