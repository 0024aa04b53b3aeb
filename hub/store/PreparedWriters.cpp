#include "store/PreparedWriters.h"

using namespace Poco::Data::Keywords;

namespace smbhub::store {

PreparedWriters::PreparedWriters(Poco::Data::Session& session)
    : insertEvent_(session),
      insertDelivery_(session),
      insertAttempt_(session),
      succeedDelivery_(session),
      tallyIntegration_(session) {
    insertEvent_ << "INSERT INTO events (id, account_id, type, created_at, test, envelope)"
                    " VALUES ($1,$2,$3,$4,$5,$6)",
        use(event_.id), use(event_.accountId), use(event_.type), use(eventCreatedAt_), use(eventTest_),
        use(event_.envelopeJson);
    insertDelivery_ << "INSERT INTO deliveries (id, event_id, integration_id, account_id, status, attempts,"
                       " schedule_index, parts_done, next_attempt_at, created_at, updated_at)"
                       " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10)",
        use(delivery_.id), use(delivery_.eventId), use(delivery_.integrationId), use(delivery_.accountId),
        use(delivery_.status), use(delivery_.attempts), use(delivery_.scheduleIndex), use(delivery_.partsDone),
        use(deliveryNextAttemptAt_), use(deliveryCreatedAt_);
    insertAttempt_ << "INSERT INTO attempts (id, delivery_id, integration_id, event_id, event_type, attempt,"
                      " status, response_status, response_body, error, duration_ms, created_at, next_attempt_at)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
        use(attempt_.id), use(attempt_.deliveryId), use(attempt_.integrationId), use(attempt_.eventId),
        use(attempt_.eventType), use(attempt_.attempt), use(attempt_.status), use(responseStatus_),
        use(responseBody_), use(error_), use(durationMs_), use(attemptCreatedAt_), use(nextAttemptAt_);
    succeedDelivery_ << "UPDATE deliveries SET status = 'succeeded', attempts = attempts + 1,"
                        " lease_owner = '', lease_until = 0, updated_at = $1"
                        " WHERE id = $2 AND lease_owner = $3 AND status = 'pending'",
        use(succeededAt_), use(succeededId_), use(succeededOwner_);
    tallyIntegration_ << "UPDATE integrations SET last_delivery_at = $1, requests_sent = requests_sent + $2,"
                         " failed_streak = CASE WHEN $3 = 1 THEN $4 ELSE failed_streak + $4 END WHERE id = $5",
        use(tallyLastAt_), use(tallyAccepted_), use(tallySucceeded_), use(tallyStreak_), use(tallyId_);
}

void PreparedWriters::tallyIntegration(const std::string& integrationId, std::int64_t lastAttemptAt,
                                       int requestsAccepted, bool succeeded, int streak) {
    tallyId_ = integrationId;
    tallyLastAt_ = lastAttemptAt;
    tallyAccepted_ = requestsAccepted;
    tallySucceeded_ = succeeded ? 1 : 0;
    tallyStreak_ = streak;
    tallyIntegration_.execute();
}

void PreparedWriters::insertEvent(const Event& event) {
    event_ = event;
    eventCreatedAt_ = event.createdAt;
    eventTest_ = event.test ? 1 : 0;
    insertEvent_.execute();
}

void PreparedWriters::insertDelivery(const Delivery& delivery) {
    delivery_ = delivery;
    deliveryNextAttemptAt_ = delivery.nextAttemptAt;
    deliveryCreatedAt_ = delivery.createdAt;
    insertDelivery_.execute();
}

void PreparedWriters::insertAttempt(const Attempt& a) {
    attempt_ = a;
    responseStatus_ = a.responseStatus ? Poco::Nullable<int>(*a.responseStatus) : Poco::Nullable<int>();
    responseBody_ = a.responseBody ? Poco::Nullable<std::string>(*a.responseBody) : Poco::Nullable<std::string>();
    error_ = a.error ? Poco::Nullable<std::string>(*a.error) : Poco::Nullable<std::string>();
    durationMs_ = a.durationMs;
    attemptCreatedAt_ = a.createdAt;
    nextAttemptAt_ = a.nextAttemptAt ? Poco::Nullable<Poco::Int64>(*a.nextAttemptAt) : Poco::Nullable<Poco::Int64>();
    insertAttempt_.execute();
}

void PreparedWriters::succeedDelivery(const std::string& deliveryId, const std::string& leaseOwner,
                                      std::int64_t now) {
    succeededId_ = deliveryId;
    succeededOwner_ = leaseOwner;
    succeededAt_ = now;
    succeedDelivery_.execute();
}

}  // namespace smbhub::store
