// Accounts and their API keys (SPEC §5), kept by the hub's database. API keys are stored only as
// SHA-256 hashes (crypto/TokenHash).
//
// Thread-safety: every method may be called from any thread. Every write is one transaction.
// Failures: see store/StoreErrors.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/Records.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

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

class AccountStore {
public:
    virtual ~AccountStore() = default;

    virtual void create(const Account& account, const NewApiKey& firstKey) = 0;
    // May be up to a second stale for changes made by another process sharing the database.
    virtual std::optional<Account> find(const std::string& id) = 0;
    // The owner of a key that has not been revoked. A revoked key is refused by every process at
    // once (the lookup is never cached). Also notes that the key was used: its lastUsedAt is
    // written at most once a minute, so keys in constant use cost no write per request.
    virtual std::optional<Account> findByApiKeyHash(const std::string& hash) = 0;
    // Sets what is given; false when there is no such account.
    virtual bool update(const std::string& id, const std::optional<std::string>& plan,
                        const std::optional<std::string>& status) = 0;
    // Up to `limit` accounts after `after` (from the first when empty), by creation time.
    virtual std::vector<Account> list(const std::optional<AccountPosition>& after, int limit) = 0;

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
};

}  // namespace smbhub::store
