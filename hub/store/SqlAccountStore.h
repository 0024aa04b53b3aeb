// AccountStore on the hub's SQL database. Accounts are cached for up to a second (every request
// looks its caller's up); this process's own changes drop the entry at once.
//
// Thread-safety: as AccountStore.
#pragma once

#include "store/AccountStore.h"
#include "store/SqlDatabase.h"
#include "store/TimedCache.h"

namespace smbhub::store {

class SqlAccountStore final : public AccountStore {
public:
    explicit SqlAccountStore(SqlDatabase& db) : db_(db) {}

    void create(const Account& account, const NewApiKey& firstKey) override;
    std::optional<Account> find(const std::string& id) override;
    std::optional<Account> findByApiKeyHash(const std::string& hash) override;
    bool update(const std::string& id, const std::optional<std::string>& plan,
                const std::optional<std::string>& status) override;
    std::vector<Account> list(const std::optional<AccountPosition>& after, int limit) override;
    bool addApiKey(const NewApiKey& key) override;
    std::vector<ApiKey> listApiKeys(const std::string& accountId) override;
    bool revokeApiKey(const std::string& accountId, const std::string& keyId, std::int64_t now) override;
    std::optional<std::string> activeApiKeyId(const std::string& hash) override;
    bool apiKeyActive(const std::string& keyId) override;

private:
    SqlDatabase& db_;
    TimedCache<Account> cache_{1000};
};

}  // namespace smbhub::store
