// IntegrationStore on the hub's SQL database. On a database one process owns (SQLite), fan-out
// targets are cached for up to a second and dropped by every change this process makes; with
// several processes (PostgreSQL) they are read afresh for every publish, so an integration
// created or paused through another process is seen by the next event.
//
// Thread-safety: as IntegrationStore.
#pragma once

#include "store/IntegrationStore.h"
#include "store/SqlDatabase.h"
#include "store/TimedCache.h"

namespace smbhub::store {

class SqlIntegrationStore final : public IntegrationStore {
public:
    explicit SqlIntegrationStore(SqlDatabase& db);

    void create(const Integration& integration) override;
    std::optional<Integration> find(const std::string& accountId, const std::string& id) override;
    std::optional<Integration> byId(const std::string& id) override;
    std::vector<Integration> list(const std::string& accountId) override;
    std::vector<FanoutTarget> fanoutTargets(const std::string& accountId) override;
    bool update(const Integration& integration) override;
    bool rotateSigningSecret(const std::string& accountId, const std::string& id, const std::string& newSecretSealed,
                             std::int64_t previousExpiresAt, std::int64_t now) override;
    bool remove(const std::string& accountId, const std::string& id) override;
    std::size_t resealAll(const std::function<SealedSecrets(const SealedSecrets&)>& reseal) override;

    // Integrations changed behind this store's back (the queue disabled some).
    void forgetFanout() { fanout_.forgetAll(); }

private:
    SqlDatabase& db_;
    TimedCache<std::vector<FanoutTarget>> fanout_;
};

}  // namespace smbhub::store
