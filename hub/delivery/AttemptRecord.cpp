#include "delivery/AttemptRecord.h"

#include "core/Random.h"

namespace smbhub::delivery {

store::AttemptOutcome attemptOutcome(const FinishedAttempt& f, const DeliveryVerdict& verdict) {
    const store::Delivery& delivery = f.job.delivery;
    const store::Event& event = f.job.envelope->event();
    store::AttemptOutcome o;
    o.leaseOwner = delivery.leaseOwner;
    o.deliveryStatus = verdict.delivery;
    o.scheduleIndex = verdict.scheduleIndex;
    o.partsDone = f.partsDone;
    o.requestsAccepted = f.requestsAccepted;
    o.nextAttemptAt = verdict.nextAttemptAt.value_or(0);
    o.deliveryExhausted = verdict.exhausted;
    o.disableReason = verdict.disableReason;

    store::Attempt& a = o.attempt;
    a.id = core::newSortableId("att");
    a.deliveryId = delivery.id;
    a.integrationId = delivery.integrationId;
    a.eventId = event.id;
    a.eventType = event.type;
    a.attempt = f.attempt;
    a.status = verdict.attempt;
    a.responseStatus = f.responseStatus;
    a.responseBody = f.responseBody;
    if (!verdict.error.empty()) a.error = verdict.error;
    a.durationMs = f.finishedAt - f.startedAt;
    a.createdAt = f.finishedAt;
    a.nextAttemptAt = verdict.nextAttemptAt;
    return o;
}

}  // namespace smbhub::delivery
