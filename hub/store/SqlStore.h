// Store over Poco::Data, one implementation for SQLite and PostgreSQL.
//
// SQLite: one connection in WAL mode with synchronous=NORMAL, used under a mutex, so writes are
// serialised in-process (SQLite allows one writer anyway) and a commit survives a process crash
// (not a power loss: see docs/architecture.md). PostgreSQL: a pool of connections; due
// deliveries are claimed with FOR UPDATE SKIP LOCKED and a lease, so several processes share
// the queue and each attempt is made by one of them.
//
// Outages (docs/operations.md): every operation is admitted by the store's DatabaseHealth. With
// PostgreSQL it refuses them at once while the database is known to be unavailable and probes it
// meanwhile; with SQLite a write that fails for lack of space (or an I/O error) marks it
// unavailable, and the next write that succeeds ends that.
// With PostgreSQL every operation has a deadline, `timeout` from its start: the wait for a pooled
// connection, its (re)opening and every statement (a ConnectionWatchdog cuts a connection whose
// server does not answer in time). A connection the server dropped is re-established and a read
// or a transaction that failed at BEGIN runs again; only when the database cannot be reached (or
// does not answer) is it reported unavailable.
#pragma once

#include <Poco/Data/Session.h>

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/RepeatingErrorLog.h"
#include "store/ConnectionPool.h"
#include "store/ConnectionWatchdog.h"
#include "store/DatabaseHealth.h"
#include "store/Migrations.h"
#include "store/Store.h"

namespace smbhub::store {

class PreparedWriters;

struct SqlStoreOptions {
    SqlDialect dialect = SqlDialect::Sqlite;
    std::string connector;         // "sqlite" or "postgresql"
    std::string connectionString;  // file path, or libpq key=value string
    int poolSize = 16;             // PostgreSQL connections
    std::chrono::milliseconds timeout{5000};  // longest wait for the database (PostgreSQL), SQLite's busy timeout
    DatabaseHealth::Options health;
};

class SqlStore final : public Store {
public:
    explicit SqlStore(const SqlStoreOptions& options);
    ~SqlStore() override;

    int schemaVersion() const { return schemaVersion_; }
    DatabaseStatus databaseStatus() const override { return health_->status(); }
    // Single-process databases: claims left by a crashed predecessor can be taken at once.
    void releaseAllLeases();


    void createAccount(const Account& account, const NewApiKey& firstKey) override;
    std::optional<Account> findAccount(const std::string& id) override;
    std::optional<Account> findAccountByApiKeyHash(const std::string& hash) override;
    bool updateAccount(const std::string& id, const std::optional<std::string>& plan,
                       const std::optional<std::string>& status) override;
    std::vector<Account> listAccounts(const std::optional<AccountPosition>& after, int limit) override;
    bool addApiKey(const NewApiKey& key) override;
    std::vector<ApiKey> listApiKeys(const std::string& accountId) override;
    bool revokeApiKey(const std::string& accountId, const std::string& keyId, std::int64_t now) override;
    std::optional<std::string> activeApiKeyId(const std::string& hash) override;
    bool apiKeyActive(const std::string& keyId) override;

    void createIntegration(const Integration& integration) override;
    std::optional<Integration> findIntegration(const std::string& accountId,
                                               const std::string& id) override;
    std::optional<Integration> integrationById(const std::string& id) override;
    std::vector<Integration> listIntegrations(const std::string& accountId) override;
    std::vector<FanoutTarget> fanoutTargets(const std::string& accountId) override;
    bool updateIntegration(const Integration& integration) override;
    bool deleteIntegration(const std::string& accountId, const std::string& id) override;
    DeliveryStats deliveryStats(const std::string& integrationId) override;

    std::optional<IdempotentReplay> publish(const PublishBatch& batch) override;

    std::vector<ClaimedDelivery> claimDue(const std::string& owner, std::int64_t now,
                                          std::int64_t leaseUntil, int limit,
                                          const std::vector<std::string>& excluded = {}) override;
    std::vector<DisabledIntegration> recordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                                    int disableAfterFailedDeliveries) override;
    void deferDeliveries(const std::vector<DeferredDelivery>& deferred) override;
    std::vector<Attempt> recentAttempts(const std::string& integrationId, int limit) override;
    std::optional<DeliveryHistory> deliveryHistory(const std::string& deliveryId) override;
    RetryResult retryDelivery(const std::string& integrationId, const std::string& deliveryId,
                              std::int64_t now, int finalScheduleIndex) override;

    void createOAuthState(const OAuthState& state) override;
    ConsumedOAuthState consumeOAuthState(const std::string& stateHash, const std::string& provider,
                                         std::int64_t now) override;
    void recordOAuthConnection(const OAuthConnection& connection) override;
    std::vector<OAuthConnection> oauthConnections(const std::string& accountId) override;

private:
    // Who asked: API requests refused during an outage are counted for its log lines.
    enum class Caller { Api, Engine };
    class Lease;  // a session borrowed for one operation
    Lease session();
    template <typename F>
    auto transaction(Caller caller, F&& work);
    template <typename F>
    auto read(Caller caller, F&& work);
    template <typename F>
    auto counted(Caller caller, F&& work);
    template <typename F>
    void withWriters(Poco::Data::Session& session, F&& work);
    std::optional<IdempotentReplay> publishInto(Poco::Data::Session& session, const PublishBatch& batch);
    struct PendingPublish;

    void forgetFanout(const std::string& accountId);
    void forgetAllFanout();

    SqlStoreOptions options_;
    struct CachedFanout {
        std::int64_t loadedAt = 0;
        std::vector<FanoutTarget> targets;
    };
    std::mutex publishQueueMutex_;
    std::vector<PendingPublish*> publishQueue_;  // SQLite group commit, see publish()
    struct CachedAccount {
        std::int64_t loadedAt = 0;
        Account account;
    };
    std::mutex accountMutex_;
    std::map<std::string, CachedAccount> accountCache_;  // by id; see findAccount
    std::mutex fanoutMutex_;
    std::map<std::string, CachedFanout> fanoutCache_;
    std::mutex sqliteMutex_;
    std::unique_ptr<Poco::Data::Session> sqliteSession_;
    std::unique_ptr<PreparedWriters> sqliteWriters_;  // prepared on sqliteSession_
    std::unique_ptr<DatabaseHealth> health_;
    core::RepeatingErrorLog busyLog_;               // pool exhaustion
    std::unique_ptr<ConnectionWatchdog> watchdog_;  // PostgreSQL
    std::unique_ptr<ConnectionPool> pool_;          // PostgreSQL
    int schemaVersion_ = 0;
};

}  // namespace smbhub::store
