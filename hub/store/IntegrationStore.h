// Customers' integrations, always scoped to their account for API callers, and what fan-out
// reads of them for every publish.
//
// Thread-safety: every method may be called from any thread. Every write is one transaction.
// Failures: see store/StoreErrors.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/Records.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

// What fan-out needs of an integration.
struct FanoutTarget {
    std::string integrationId;
    std::string status;
    std::vector<std::string> events;
};

// An integration's sealed columns, as stored (crypto/SecretBox values; "" when none).
struct SealedSecrets {
    std::string integrationId;
    std::string signingSecret;   // integrations.signing_secret
    std::string secretSettings;  // integrations.secret_settings
    std::string previousSigningSecret;  // integrations.previous_signing_secret (a rotation's overlap)
};

class IntegrationStore {
public:
    virtual ~IntegrationStore() = default;

    virtual void create(const Integration& integration) = 0;
    virtual std::optional<Integration> find(const std::string& accountId, const std::string& id) = 0;
    // Any account's (the delivery engine's lookups).
    virtual std::optional<Integration> byId(const std::string& id) = 0;
    virtual std::vector<Integration> list(const std::string& accountId) = 0;
    // Exact on a database several processes share; on SQLite cached up to a second (this
    // process, the only writer, forgets it with every change).
    virtual std::vector<FanoutTarget> fanoutTargets(const std::string& accountId) = 0;
    // Writes displayName, status, statusReason, events, rateLimitPerSecond, updatedAt; false when
    // not found.
    virtual bool update(const Integration& integration) = 0;
    // Makes `newSecretSealed` the signing secret and the one it replaces the previous secret,
    // valid until `previousExpiresAt` (one statement: two rotations at once cannot lose a
    // secret). A previous secret still valid from an earlier rotation is dropped. False when the
    // account has no such integration.
    virtual bool rotateSigningSecret(const std::string& accountId, const std::string& id,
                                     const std::string& newSecretSealed, std::int64_t previousExpiresAt,
                                     std::int64_t now) = 0;
    // Deletes it and cancels its pending deliveries; false when not found.
    virtual bool remove(const std::string& accountId, const std::string& id) = 0;
    // In ONE transaction: every integration's sealed values go through `reseal`, which returns
    // them as they should be stored; rows it changes are written. An exception from `reseal`
    // rolls everything back and is rethrown. Returns the number of rows rewritten.
    // (secrets rotate-key; a column sealed in the future belongs in SealedSecrets too.)
    virtual std::size_t resealAll(const std::function<SealedSecrets(const SealedSecrets&)>& reseal) = 0;
};

}  // namespace smbhub::store
