// Events, the deliveries they fan out to, and every attempt of those: the hub's durable queue
// and its delivery log (SPEC §8, §12).
//
// A delivery is `pending` until it succeeds, fails for good, or its integration is deleted. A
// pending delivery is due at `nextAttemptAt`; whoever sends it holds a lease on it (owner and
// expiry), written when it is claimed — or, for a delivery its own publishing process hands
// straight to its engine, when it is published. Only the lease holder moves a delivery on; a
// lease that expires (a process died) lets another process claim it, so every accepted delivery
// is attempted at least once.
//
// Thread-safety: every method may be called from any thread. Every write is one transaction:
// what a method accepted is durable when it returns. Failures: see store/StoreErrors.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/Records.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

// An event and the deliveries it fans out to, stored together.
struct PublishBatch {
    std::vector<Event> events;
    std::vector<Delivery> deliveries;
    // With an Idempotency-Key: the key, a hash of the request (a repeat must match it), the
    // response to replay for a repeated publish, and the time before which a stored key has
    // expired (retention.idempotency_keys) and no longer counts.
    std::string idempotencyKey;
    std::string requestHash;
    std::string responseJson;
    std::int64_t idempotencyNotBefore = 0;
};

// What an earlier publish with the same Idempotency-Key stored.
struct IdempotentReplay {
    std::string responseJson;
    std::string requestHash;  // "" for keys stored before hashes were kept: matches any request

    bool operator==(const IdempotentReplay& other) const {
        return responseJson == other.responseJson && requestHash == other.requestHash;
    }
};

// A due delivery claimed by one process, with its event.
struct ClaimedDelivery {
    Delivery delivery;
    Event event;
};

// A delivery and its whole history, for support (GET /api/admin/deliveries/:id).
struct DeliveryHistory {
    Delivery delivery;
    std::string eventType;
    std::int64_t updatedAt = 0;
    std::vector<Attempt> attempts;  // oldest first
};

// What one attempt produced, to be recorded atomically with the delivery's new state.
struct AttemptOutcome {
    Attempt attempt;                 // the log entry
    std::string leaseOwner;          // the lease this attempt was made under
    DeliveryStatus deliveryStatus = DeliveryStatus::Pending;
    int scheduleIndex = 0;
    int partsDone = 0;
    int requestsAccepted = 0;        // requests of this attempt the receiver accepted
    std::int64_t nextAttemptAt = 0;  // when pending
    // Integration bookkeeping.
    bool deliveryExhausted = false;  // failed for good: counts toward auto-disable
    std::string disableReason;       // non-empty: disable the integration now (e.g. Zapier 410)
};

// A lease handed back without an attempt (e.g. the integration is at its in-flight limit).
struct DeferredDelivery {
    std::string deliveryId;
    std::string leaseOwner;
    std::int64_t nextAttemptAt = 0;
};

// An integration disabled by recorded outcomes, and why.
struct DisabledIntegration {
    std::string integrationId;
    std::string reason;
};

enum class RetryResult { Scheduled, NotFound, NotFailed };

class DeliveryQueue {
public:
    virtual ~DeliveryQueue() = default;

    // Stores the events and deliveries. With an idempotency key the account used since
    // `idempotencyNotBefore`, nothing is written and what the first publish stored is returned
    // (an older use of the key is forgotten and the key taken anew).
    virtual std::optional<IdempotentReplay> publish(const PublishBatch& batch) = 0;

    // Leases up to `limit` due deliveries of active integrations to `owner`, oldest first,
    // skipping the integrations in `excluded` (those this process has enough requests in flight
    // for).
    virtual std::vector<ClaimedDelivery> claimDue(const std::string& owner, std::int64_t now, std::int64_t leaseUntil,
                                                  int limit, const std::vector<std::string>& excluded = {}) = 0;
    // Logs the attempts and moves their deliveries on (where `leaseOwner` still holds them),
    // updates each integration's bookkeeping, and disables an integration a plugin asked to
    // disable or whose last `disableAfterFailedDeliveries` deliveries all failed. An outcome
    // whose attempt is already logged (recorded again after an unconfirmed commit) changes
    // nothing. Returns the integrations it disabled.
    virtual std::vector<DisabledIntegration> record(const std::vector<AttemptOutcome>& outcomes,
                                                    int disableAfterFailedDeliveries) = 0;
    virtual void defer(const std::vector<DeferredDelivery>& deferred) = 0;
    // A single-process database at start-up: the leases a crashed predecessor left are released.
    virtual void releaseAllLeases() = 0;

    // The last `limit` attempts of an integration, newest first.
    virtual std::vector<Attempt> recentAttempts(const std::string& integrationId, int limit) = 0;
    virtual DeliveryStats stats(const std::string& integrationId) = 0;
    // Any account's delivery with every attempt of it (an operator's view).
    virtual std::optional<DeliveryHistory> history(const std::string& deliveryId) = 0;
    // A failed delivery gets one more attempt now; `finalScheduleIndex` makes its failure final.
    virtual RetryResult retry(const std::string& integrationId, const std::string& deliveryId, std::int64_t now,
                              int finalScheduleIndex) = 0;
};

}  // namespace smbhub::store
