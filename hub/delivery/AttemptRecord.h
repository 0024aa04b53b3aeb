// What is written for a finished attempt: the delivery log's entry and the delivery's new state,
// as the verdict decided them (store::AttemptOutcome). A pure function.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include "delivery/DeliveryAttempt.h"
#include "delivery/DeliveryVerdict.h"
#include "store/DeliveryQueue.h"

namespace smbhub::delivery {

store::AttemptOutcome attemptOutcome(const FinishedAttempt& attempt, const DeliveryVerdict& verdict);

}  // namespace smbhub::delivery
