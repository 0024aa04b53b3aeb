// Accounts and their API keys (SPEC §5), kept by the hub's database. API keys are stored only as
// SHA-256 hashes (crypto/TokenHash).
//
// Thread-safety: every method may be called from any thread. Every write is one transaction.
// Failures: see store/StoreErrors.h.
#pragma once

#include <optional>
#include <string>

#include "store/Records.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

class AccountStore {
public:
    virtual ~AccountStore() = default;

    virtual void create(const Account& account, const std::string& apiKeyHash) = 0;
    // May be up to a second stale for changes made by another process sharing the database.
    virtual std::optional<Account> find(const std::string& id) = 0;
    virtual std::optional<Account> findByApiKeyHash(const std::string& hash) = 0;
    // Sets what is given; false when there is no such account.
    virtual bool update(const std::string& id, const std::optional<std::string>& plan,
                        const std::optional<std::string>& status) = 0;
};

}  // namespace smbhub::store
