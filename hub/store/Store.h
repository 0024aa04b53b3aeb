// Everything the hub persists, behind one interface. SqlStore implements it over Poco::Data for
// SQLite (embedded default) and PostgreSQL (several hub processes sharing one database).
//
// Thread-safety: every method may be called from any thread. Every write is one transaction:
// what a method accepted is durable when it returns. Errors other than "not found" throw
// StoreUnavailable (database down or locked: the API answers 503) or std::exception. While the
// database is unavailable (down, hanging, out of space) the store throws DatabaseOutage, a
// StoreUnavailable it has already logged as a state: callers answer 503 without logging it again.
// No call waits for the database longer than `database.timeout` (PostgreSQL).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/Records.h"

namespace smbhub::store {

class StoreUnavailable : public std::runtime_error {
public:
    explicit StoreUnavailable(const std::string& what, bool outcomeUnknown = false)
        : std::runtime_error(what), outcomeUnknown_(outcomeUnknown) {}
    // The connection was lost (or cut at the deadline) while the database was committing: the
    // write may have been stored. No database client can know; a publish retried with the same
    // Idempotency-Key then returns the first result if it was.
    bool outcomeUnknown() const { return outcomeUnknown_; }

private:
    bool outcomeUnknown_;
};

// The database cannot be used right now (unreachable, not answering in time, out of space, all
// connections busy), and the store has logged it (once, as a state; see DatabaseHealth).
class DatabaseOutage : public StoreUnavailable {
public:
    using StoreUnavailable::StoreUnavailable;
};

// Whether the database can be used now, for a readiness check.
struct DatabaseStatus {
    bool available = true;
    std::int64_t since = 0;  // Unix ms of the last change (0: available since start-up)
    std::string reason;      // why not, when not available
};

struct FanoutTarget {
    std::string integrationId;
    std::string status;
    std::vector<std::string> events;
};

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

// A due delivery claimed by one process, with what is needed to send it.
struct ClaimedDelivery {
    Delivery delivery;
    Event event;
};

// What one attempt produced, to be recorded atomically with the delivery's new state.
struct AttemptOutcome {
    Attempt attempt;
    std::string leaseOwner;          // the claim this attempt was made under
    std::string deliveryStatus;      // pending | succeeded | failed
    int scheduleIndex = 0;
    int partsDone = 0;
    int requestsAccepted = 0;        // requests of this attempt the receiver accepted
    std::int64_t nextAttemptAt = 0;  // when pending
    // Integration bookkeeping.
    bool deliveryExhausted = false;  // failed for good: counts toward auto-disable
    std::string disableReason;       // non-empty: disable the integration now (e.g. Zapier 410)
};

// An integration that a batch of outcomes disabled, and why (its statusReason).
struct DisabledIntegration {
    std::string integrationId;
    std::string reason;
};

// A key being issued: what may be shown of it, and the SHA-256 (hex) of the key, which is all
// that is stored.
struct NewApiKey {
    ApiKey key;
    std::string hash;
};

// Where a page of accounts ends (accounts are listed by creation time, then id).
struct AccountPosition {
    std::int64_t createdAt = 0;
    std::string id;
};

// A delivery and its whole history, for support (GET /api/admin/deliveries/:id).
struct DeliveryHistory {
    Delivery delivery;
    std::string eventType;
    std::int64_t updatedAt = 0;
    std::vector<Attempt> attempts;  // oldest first
};

// A claim handed back without an attempt (e.g. the integration is at its in-flight limit).
struct DeferredDelivery {
    std::string deliveryId;
    std::string leaseOwner;
    std::int64_t nextAttemptAt = 0;
};

enum class RetryResult { Scheduled, NotFound, NotFailed };

// What became of an OAuth state presented at a callback.
enum class OAuthStateCheck { Valid, Unknown, Reused, Expired, OtherProvider };

struct ConsumedOAuthState {
    OAuthStateCheck check = OAuthStateCheck::Unknown;
    OAuthState state;  // when Valid
};

class Store {
public:
    virtual ~Store() = default;

    virtual DatabaseStatus databaseStatus() const = 0;

    // Accounts and API keys (stored as SHA-256 hashes only).
    virtual void createAccount(const Account& account, const NewApiKey& firstKey) = 0;
    // May be up to a second stale for changes made by another process sharing the database.
    virtual std::optional<Account> findAccount(const std::string& id) = 0;
    // The owner of a key that has not been revoked. A revoked key is refused by every process
    // at once (the lookup is never cached). Also notes that the key was used: its lastUsedAt
    // is written at most once a minute, so keys in constant use cost no write per request.
    virtual std::optional<Account> findAccountByApiKeyHash(const std::string& hash) = 0;
    virtual bool updateAccount(const std::string& id, const std::optional<std::string>& plan,
                               const std::optional<std::string>& status) = 0;
    // Up to `limit` accounts after `after` (from the first when empty), by creation time.
    virtual std::vector<Account> listAccounts(const std::optional<AccountPosition>& after, int limit) = 0;
    // False when the account does not exist.
    virtual bool addApiKey(const NewApiKey& key) = 0;
    // The account's keys that are not revoked, oldest first.
    virtual std::vector<ApiKey> listApiKeys(const std::string& accountId) = 0;
    // False when the account has no such key, or it was already revoked.
    virtual bool revokeApiKey(const std::string& accountId, const std::string& keyId, std::int64_t now) = 0;
    // The id of the key with this hash, when it exists and is not revoked (a sign-in records it
    // in the session, so that revoking the key ends the session too).
    virtual std::optional<std::string> activeApiKeyId(const std::string& hash) = 0;
    // Whether the key with this id exists and is not revoked. Never cached.
    virtual bool apiKeyActive(const std::string& keyId) = 0;

    // Integrations, always scoped to their account for API callers.
    virtual void createIntegration(const Integration& integration) = 0;
    virtual std::optional<Integration> findIntegration(const std::string& accountId,
                                                       const std::string& id) = 0;
    virtual std::optional<Integration> integrationById(const std::string& id) = 0;
    virtual std::vector<Integration> listIntegrations(const std::string& accountId) = 0;
    // What fan-out needs of an account's integrations (id, status, events), for every publish.
    // Exact on a database several processes share; on SQLite cached up to a second (this
    // process, the only writer, invalidates it with every change).
    virtual std::vector<FanoutTarget> fanoutTargets(const std::string& accountId) = 0;
    // Writes displayName, status, statusReason, events, updatedAt of `integration`.
    virtual bool updateIntegration(const Integration& integration) = 0;
    // Deletes it and cancels its pending deliveries. False when not found.
    virtual bool deleteIntegration(const std::string& accountId, const std::string& id) = 0;
    virtual DeliveryStats deliveryStats(const std::string& integrationId) = 0;

    // Events. With an idempotency key the account used since `idempotencyNotBefore`, nothing is
    // written and what the first publish stored is returned (an older use of the key is
    // forgotten and the key taken anew).
    virtual std::optional<IdempotentReplay> publish(const PublishBatch& batch) = 0;

    // Delivery queue.
    // Leases up to `limit` due deliveries to `owner`, oldest first, skipping the integrations in
    // `excluded` (those this process already has enough requests in flight for).
    virtual std::vector<ClaimedDelivery> claimDue(const std::string& owner, std::int64_t now,
                                                  std::int64_t leaseUntil, int limit,
                                                  const std::vector<std::string>& excluded = {}) = 0;
    // Returns the integrations this batch disabled (a plugin's request, or a failure streak).
    virtual std::vector<DisabledIntegration> recordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                                            int disableAfterFailedDeliveries) = 0;
    virtual void deferDeliveries(const std::vector<DeferredDelivery>& deferred) = 0;
    virtual std::vector<Attempt> recentAttempts(const std::string& integrationId, int limit) = 0;
    virtual std::optional<DeliveryHistory> deliveryHistory(const std::string& deliveryId) = 0;
    // A failed delivery gets one more attempt now; `finalScheduleIndex` makes its failure final.
    // OAuth. A state is consumed at most once; consuming an unknown, used, expired or other
    // provider's state writes nothing but its verdict.
    virtual void createOAuthState(const OAuthState& state) = 0;
    virtual ConsumedOAuthState consumeOAuthState(const std::string& stateHash, const std::string& provider,
                                                 std::int64_t now) = 0;
    virtual void recordOAuthConnection(const OAuthConnection& connection) = 0;
    virtual std::vector<OAuthConnection> oauthConnections(const std::string& accountId) = 0;

    virtual RetryResult retryDelivery(const std::string& integrationId,
                                      const std::string& deliveryId, std::int64_t now,
                                      int finalScheduleIndex) = 0;
};

}  // namespace smbhub::store
