#include "store/RecordRows.h"

#include <sstream>


namespace smbhub::store {

std::string joinEvents(const std::vector<std::string>& events) {
    std::string out;
    for (const auto& e : events) {
        if (!out.empty()) out += ',';
        out += e;
    }
    return out;
}

std::vector<std::string> splitEvents(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

const char* const kAccountColumns = "id, name, plan, status, created_at";

const char* const kIntegrationColumns =
    "id, account_id, provider, kind, display_name, status, status_reason, target_url, events,"
    " settings, secret_settings, signing_secret, created_at, updated_at, last_delivery_at,"
    " requests_sent";

const char* const kAttemptColumns =
    "id, delivery_id, integration_id, event_id, event_type, attempt, status, response_status, response_body, error,"
    " duration_ms, created_at, next_attempt_at";

std::string claimedDeliveryColumns() {
    return "d.id, d.event_id, d.integration_id, d.account_id, d.status, d.attempts, d.schedule_index, d.parts_done,"
           " d.next_attempt_at, d.created_at, e.type, e.created_at AS event_created_at, e.test, e.data";
}

Account accountFrom(const Row& row) {
    Account a;
    a.id = row.text("id");
    a.name = row.text("name");
    a.plan = row.text("plan");
    a.status = row.text("status");
    a.createdAt = row.integer("created_at");
    return a;
}

Integration integrationFrom(const Row& row) {
    Integration i;
    i.id = row.text("id");
    i.accountId = row.text("account_id");
    i.provider = row.text("provider");
    i.kind = row.text("kind");
    i.displayName = row.text("display_name");
    i.status = row.text("status");
    i.statusReason = row.text("status_reason");
    i.targetUrl = row.text("target_url");
    i.events = splitEvents(row.text("events"));
    i.settingsJson = row.text("settings");
    i.secretSettingsSealed = row.text("secret_settings");
    i.signingSecretSealed = row.text("signing_secret");
    i.createdAt = row.integer("created_at");
    i.updatedAt = row.integer("updated_at");
    i.lastDeliveryAt = row.optionalInteger("last_delivery_at");
    i.requestsSent = row.integer("requests_sent");
    return i;
}

Attempt attemptFrom(const Row& row) {
    Attempt a;
    a.id = row.text("id");
    a.deliveryId = row.text("delivery_id");
    a.integrationId = row.text("integration_id");
    a.eventId = row.text("event_id");
    a.eventType = row.text("event_type");
    a.attempt = static_cast<int>(row.integer("attempt"));
    a.status = attemptStatusFrom(row.text("status")).value_or(AttemptStatus::Failed);
    if (auto v = row.optionalInteger("response_status")) a.responseStatus = static_cast<int>(*v);
    a.responseBody = row.optionalText("response_body");
    a.error = row.optionalText("error");
    a.durationMs = row.integer("duration_ms");
    a.createdAt = row.integer("created_at");
    a.nextAttemptAt = row.optionalInteger("next_attempt_at");
    return a;
}

Delivery deliveryFrom(const Row& row) {
    Delivery d;
    d.id = row.text("id");
    d.eventId = row.text("event_id");
    d.integrationId = row.text("integration_id");
    d.accountId = row.text("account_id");
    d.status = deliveryStatusFrom(row.text("status")).value_or(DeliveryStatus::Pending);
    d.attempts = static_cast<int>(row.integer("attempts"));
    d.scheduleIndex = static_cast<int>(row.integer("schedule_index"));
    d.partsDone = static_cast<int>(row.integer("parts_done"));
    d.nextAttemptAt = row.integer("next_attempt_at");
    d.createdAt = row.integer("created_at");
    return d;
}

ClaimedDelivery claimedDeliveryFrom(const Row& row) {
    ClaimedDelivery c;
    c.delivery = deliveryFrom(row);
    const Delivery& d = c.delivery;
    Event& e = c.event;
    e.id = d.eventId;
    e.accountId = d.accountId;
    e.type = row.text("type");
    e.createdAt = row.integer("event_created_at");
    e.test = row.integer("test") != 0;
    e.dataJson = row.text("data");
    return c;
}

}  // namespace smbhub::store
