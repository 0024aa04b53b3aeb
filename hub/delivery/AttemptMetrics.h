// What a finished attempt adds to the hub's metrics (metrics/HubMetrics): one attempt by provider
// and result, and — when the verdict ends the delivery — one completed delivery by outcome, with
// its publish → success latency. Called by the engine once per finished attempt, before its
// outcome is written (the request was made whether or not the write succeeds).
//
// Thread-safety: stateless; safe from any thread (HubMetrics records without locks).
#pragma once

#include <optional>

#include "delivery/DeliveryAttempt.h"
#include "delivery/DeliveryVerdict.h"
#include "metrics/HubMetrics.h"

namespace smbhub::delivery {

// The `result` label of an attempt: the receiver's status class when it answered, else why not
// (timeout, TLS, the address refused by the network rules, or any other network failure). An
// attempt that sent nothing because its target is unusable or its plugin could not render counts
// as refused; one with nothing to send (the plugin rendered no request) counts as no attempt.
std::optional<metrics::AttemptResult> attemptResult(const AttemptReport& report);

void countFinishedAttempt(const FinishedAttempt& attempt, const DeliveryVerdict& verdict);

}  // namespace smbhub::delivery
