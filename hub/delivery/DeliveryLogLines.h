// What the operator's log says about deliveries (at `information`): every failed attempt —
// integration, delivery, attempt number, HTTP status or error, and when it is tried again — and
// every integration disabled, with why. Never a payload, a body or a secret.
//
// Thread-safety: safe from any thread (Poco's loggers are); the engine's recorder calls it.
#pragma once

#include <vector>

#include "store/DeliveryQueue.h"

namespace smbhub::delivery {

void logRecordedOutcomes(const std::vector<store::AttemptOutcome>& outcomes,
                         const std::vector<store::DisabledIntegration>& disabled);

}  // namespace smbhub::delivery
