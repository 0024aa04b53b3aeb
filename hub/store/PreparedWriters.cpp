#include "store/PreparedWriters.h"

namespace smbhub::store {

PreparedWriters::PreparedWriters(Poco::Data::Session& session)
    : insertEvent_(session,
                   "INSERT INTO events (id, account_id, type, created_at, test, envelope)"
                   " VALUES ($1,$2,$3,$4,$5,$6)"),
      insertDelivery_(session,
                      "INSERT INTO deliveries (id, event_id, integration_id, account_id, status, attempts,"
                      " schedule_index, parts_done, next_attempt_at, created_at, updated_at)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"),
      insertAttempt_(session,
                     "INSERT INTO attempts (id, delivery_id, integration_id, event_id, event_type, attempt,"
                     " status, response_status, response_body, error, duration_ms, created_at, next_attempt_at)"
                     " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (id) DO NOTHING"),
      succeedDelivery_(session,
                       "UPDATE deliveries SET status = 'succeeded', attempts = attempts + 1,"
                       " lease_owner = '', lease_until = 0, updated_at = $1"
                       " WHERE id = $2 AND lease_owner = $3"),  // see SqlStore::recordAttempts
      tallyIntegration_(session,
                        "UPDATE integrations SET last_delivery_at = $1, requests_sent = requests_sent + $2,"
                        " failed_streak = CASE WHEN $3 = 1 THEN $4 ELSE failed_streak + $4 END WHERE id = $5") {}

void PreparedWriters::insertEvent(const Event& e) {
    insertEvent_.text(e.id).text(e.accountId).text(e.type).integer(e.createdAt).integer(e.test ? 1 : 0)
        .text(e.envelopeJson).execute();
}

void PreparedWriters::insertDelivery(const Delivery& d) {
    insertDelivery_.text(d.id).text(d.eventId).text(d.integrationId).text(d.accountId).text(d.status)
        .integer(d.attempts).integer(d.scheduleIndex).integer(d.partsDone).integer(d.nextAttemptAt)
        .integer(d.createdAt).integer(d.createdAt).execute();
}

bool PreparedWriters::insertAttempt(const Attempt& a) {
    return insertAttempt_.text(a.id).text(a.deliveryId).text(a.integrationId).text(a.eventId).text(a.eventType)
        .integer(a.attempt).text(a.status)
        .optionalInteger(a.responseStatus ? std::optional<std::int64_t>(*a.responseStatus) : std::nullopt)
        .optionalText(a.responseBody).optionalText(a.error).integer(a.durationMs).integer(a.createdAt)
        .optionalInteger(a.nextAttemptAt).execute() > 0;
}

void PreparedWriters::succeedDelivery(const std::string& deliveryId, const std::string& leaseOwner,
                                      std::int64_t now) {
    succeedDelivery_.integer(now).text(deliveryId).text(leaseOwner).execute();
}

void PreparedWriters::tallyIntegration(const std::string& integrationId, std::int64_t lastAttemptAt,
                                       int requestsAccepted, bool succeeded, int streak) {
    tallyIntegration_.integer(lastAttemptAt).integer(requestsAccepted).integer(succeeded ? 1 : 0).integer(streak)
        .text(integrationId).execute();
}

}  // namespace smbhub::store
