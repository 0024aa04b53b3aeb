// One attempt of one delivery, as typed steps (each step's result is its own type, so a half-done
// attempt cannot be taken for a finished one):
//
//   DeliveryJob ──prepare──▶ PreparedAttempt ──send (asynchronous)──▶ FinishedAttempt
//                    └─────────────(the target cannot be used, the plugin cannot render)──┘
//
// prepare() finds the integration's target (TargetCache) and has its provider render the
// requests; send() signs and sends them one after the other through the HttpSender, has the
// provider interpret each answer, and stops at the first that is not accepted. A FinishedAttempt
// holds the AttemptReport the verdict is decided from (delivery/DeliveryVerdict) and what the
// delivery log keeps of the last exchange.
//
// Plugin failures and receivers that keep failing at the network level are logged through
// `troubles` as states (one line when they start, a summary a minute, one when they stop).
// Thread-safety: prepare() runs on the engine's dispatcher; send()'s steps on the sender's I/O
// threads; nothing is shared between attempts but the TargetCache and the log (both thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/RepeatingErrorLog.h"
#include "delivery/DeliveryVerdict.h"
#include "delivery/HttpSender.h"
#include "delivery/TargetCache.h"
#include "events/DeliveryHandoff.h"

namespace smbhub::delivery {

struct PreparedAttempt {
    events::DeliveryJob job;
    int attempt = 1;              // this attempt's number (X-SMB-Attempt)
    std::int64_t startedAt = 0;   // Unix ms
    std::shared_ptr<const DeliveryTarget> target;
    std::vector<sdk::OutboundRequest> requests;
    std::size_t firstPart = 0;    // requests an earlier attempt already delivered
};

struct FinishedAttempt {
    events::DeliveryJob job;
    std::string provider;  // the integration's provider id ("" when its target could not be loaded)
    int attempt = 1;
    std::int64_t startedAt = 0;
    std::int64_t finishedAt = 0;
    AttemptReport report;
    int partsDone = 0;         // requests of the rendering accepted so far, over all attempts
    int requestsAccepted = 0;  // by this attempt
    // The last exchange, for the delivery log.
    std::optional<int> responseStatus;
    std::optional<std::string> responseBody;  // first 1 KiB
};

// Nothing was attempted (the database went away while the target was looked up, or the
// integration was deleted): no outcome is recorded; the lease expires and the delivery is
// claimed again (deleted integrations' deliveries are already cancelled).
struct NotAttempted {
    events::DeliveryJob job;
};

using Preparation = std::variant<PreparedAttempt, FinishedAttempt, NotAttempted>;

Preparation prepare(events::DeliveryJob job, TargetCache& targets, core::RepeatingErrorLog& troubles);

// Sends the prepared requests; `done` is called once, on an I/O thread, with the result.
void send(PreparedAttempt prepared, HttpSender& sender, std::chrono::milliseconds timeout,
          core::RepeatingErrorLog& troubles, std::function<void(FinishedAttempt)> done);

}  // namespace smbhub::delivery
