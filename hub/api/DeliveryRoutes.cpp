// An integration's delivery log, manual retry, replay of a window of failed deliveries (SPEC
// §15), test event and push-lead (SPEC §7).
#include <Poco/JSON/Array.h>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "core/Json.h"
#include "api/JsonViews.h"
#include "api/OwnedIntegration.h"
#include "api/Router.h"
#include "core/Clock.h"

namespace smbhub::api {
namespace {

constexpr int kDeliveryLogSize = 50;
// A replay is one transaction; a window with more failed deliveries must be split.
constexpr std::int64_t kMaxReplayed = 10000;

std::int64_t timeField(const Poco::JSON::Object::Ptr& body, const std::string& field) {
    const auto text = optionalString(body, field, 64);
    const auto at = text ? core::parseIsoUtc(*text) : std::nullopt;
    if (!at) {
        throw ApiError::invalid(field + " must be an ISO 8601 time with a zone, like 2026-12-01T09:00:00Z", field);
    }
    return *at;
}

void deliveries(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& a : s.stores.deliveries.recentAttempts(integration.id, kDeliveryLogSize)) items->add(attemptJson(a));
    auto out = core::orderedObject();
    out->set("deliveries", items);
    sendJson(r.response, 200, out);
}

void retry(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    r.optionalJsonBody();  // no fields, but a body that is sent must be well-formed
    const std::string& deliveryId = r.param("deliveryId");
    // One more attempt; if it fails too, the delivery is failed again (no new schedule).
    const int finalIndex = static_cast<int>(s.config.delivery.retrySchedule.size());
    switch (s.stores.deliveries.retry(integration.id, deliveryId, core::nowMillis(), finalIndex)) {
        case store::RetryResult::NotFound:
            throw ApiError::notFound("no delivery " + deliveryId + " for this integration");
        case store::RetryResult::NotFailed:
            throw ApiError::conflict("delivery " + deliveryId + " is not failed; only failed deliveries can be retried");
        case store::RetryResult::Scheduled:
            break;
    }
    s.wakeDelivery();
    auto out = core::orderedObject();
    out->set("deliveryId", deliveryId);
    sendJson(r.response, 202, out);
}

// Every failed delivery created in [since, until) gets one more attempt, keeping its id.
void replay(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"since", "until"});
    const std::int64_t now = core::nowMillis();
    const std::int64_t since = timeField(body, "since");
    const std::int64_t until = body->has("until") && !body->isNull("until") ? timeField(body, "until") : now;
    if (until <= since) throw ApiError::invalid("until must be later than since", "until");
    const int finalIndex = static_cast<int>(s.config.delivery.retrySchedule.size());
    const store::ReplayResult result =
        s.stores.deliveries.replayFailed(integration.id, since, until, now, finalIndex, kMaxReplayed);
    if (result.tooMany) {
        throw ApiError::invalid("more than " + std::to_string(kMaxReplayed) +
                                    " failed deliveries in this window; replay a narrower window (a later since or "
                                    "an earlier until) and then the rest",
                                "since");
    }
    if (result.replayed > 0) s.wakeDelivery();
    auto out = core::orderedObject();
    out->set("replayed", result.replayed);
    sendJson(r.response, 202, out);
}

// Publishes a lead.created to this integration only and answers {eventId, deliveryId}.
void publishTo(ApiServices& s, ApiRequest& r, const store::Integration& integration,
               const Poco::JSON::Object::Ptr& lead, bool test) {
    if (integration.status != "active") {
        throw ApiError::conflict("integration is " + integration.status + "; it receives nothing until it is active");
    }
    Poco::JSON::Array::Ptr leads = new Poco::JSON::Array();
    leads->add(lead);
    Poco::JSON::Object::Ptr data = new Poco::JSON::Object();
    data->set("leads", leads);
    events::PublishRequest request;
    request.accountId = integration.accountId;
    request.type = "lead.created";
    request.data = data;
    request.test = test;
    request.onlyIntegrationId = integration.id;
    const auto result = s.publisher.publish(request);
    if (const auto* problem = std::get_if<events::EventProblem>(&result)) {
        throw ApiError::invalid(problem->message, problem->field);
    }
    const auto& published = std::get<events::PublishResult>(result);
    auto out = core::orderedObject();
    out->set("eventId", published.eventId);
    out->set("deliveryId", published.deliveries.empty() ? std::string() : published.deliveries.front().deliveryId);
    sendJson(r.response, 202, out);
}

Poco::JSON::Object::Ptr sampleLead() {
    Poco::JSON::Object::Ptr lead = core::orderedObject();
    lead->set("id", "lead_test");
    lead->set("businessName", "Example Bakery LLC");
    lead->set("state", "TX");
    lead->set("registeredAt", core::isoUtc(core::nowMillis()));
    lead->set("email", "owner@example.com");
    lead->set("phone", "+1-555-0100");
    return lead;
}

void test(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    r.optionalJsonBody();
    publishTo(s, r, integration, sampleLead(), true);
}

void pushLead(ApiServices& s, ApiRequest& r) {
    const auto integration = ownedIntegration(s, r);
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"lead"});
    publishTo(s, r, integration, requireObject(body, "lead"), false);
}

}  // namespace

void addDeliveryRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations/:id/deliveries", Access::PaidAccount,
               [&s](ApiRequest& r) { deliveries(s, r); });
    router.add("POST", "/api/integrations/:id/deliveries/:deliveryId/retry", Access::PaidAccount,
               [&s](ApiRequest& r) { retry(s, r); });
    router.add("POST", "/api/integrations/:id/replay", Access::PaidAccount, [&s](ApiRequest& r) { replay(s, r); });
    router.add("POST", "/api/integrations/:id/test", Access::PaidAccount, [&s](ApiRequest& r) { test(s, r); });
    router.add("POST", "/api/integrations/:id/push-lead", Access::PaidAccount,
               [&s](ApiRequest& r) { pushLead(s, r); });
}

}  // namespace smbhub::api
