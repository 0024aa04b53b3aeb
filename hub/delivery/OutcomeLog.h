// What the log says about deliveries (SPEC §14 "Logs"): every failed attempt and every
// integration disabled, at `information` and `warning`, logger "delivery". One function, called
// by the engine once a batch of outcomes is recorded, so that whatever records outcomes calls
// it the same way.
//
// A line names the integration, the delivery, the event, the attempt number and the receiver's
// HTTP status or the error — never the target URL (it can be a credential: a Zapier hook URL
// is), a payload, a response body or a secret. In the JSON log format each of these is a field
// (integrationId, deliveryId, eventId, attempt, responseStatus, error, nextAttemptAt).
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <vector>

#include "store/DeliveryQueue.h"

namespace smbhub::delivery {

// `outcomes` as recorded; `disabled` what recording them disabled (DeliveryQueue::record).
void logRecordedOutcomes(const std::vector<store::AttemptOutcome>& outcomes,
                         const std::vector<store::DisabledIntegration>& disabled);

}  // namespace smbhub::delivery
