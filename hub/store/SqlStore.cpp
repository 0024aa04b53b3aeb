#include "store/SqlStore.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <sstream>

#include <sqlite3.h>

#include "core/Clock.h"
#include "store/HotStatement.h"
#include "store/PostgresConnect.h"
#include "store/PreparedWriters.h"
#include "store/SqlText.h"

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {
namespace {

std::string joinEvents(const std::vector<std::string>& events) {
    std::string out;
    for (const auto& e : events) {
        if (!out.empty()) out += ',';
        out += e;
    }
    return out;
}

std::vector<std::string> splitEvents(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::size_t columnIndex(RecordSet& rs, const std::string& column) {
    for (std::size_t i = 0; i < rs.columnCount(); ++i) {
        if (rs.columnName(i) == column) return i;
    }
    throw Poco::NotFoundException("column " + column);
}

bool isNull(RecordSet& rs, const std::string& column, std::size_t row) {
    return rs.isNull(columnIndex(rs, column), row);
}

std::string text(RecordSet& rs, const std::string& column, std::size_t row) {
    return isNull(rs, column, row) ? std::string() : rs.value(column, row).convert<std::string>();
}

Int64 integer(RecordSet& rs, const std::string& column, std::size_t row) {
    return isNull(rs, column, row) ? 0 : rs.value(column, row).convert<Int64>();
}

std::optional<Int64> optionalInteger(RecordSet& rs, const std::string& column, std::size_t row) {
    if (isNull(rs, column, row)) return std::nullopt;
    return rs.value(column, row).convert<Int64>();
}

const char* const kIntegrationColumns =
    "id, account_id, provider, kind, display_name, status, status_reason, target_url, events,"
    " settings, secret_settings, signing_secret, created_at, updated_at, last_delivery_at,"
    " requests_sent";

Integration integrationAt(RecordSet& rs, std::size_t row) {
    Integration i;
    i.id = text(rs, "id", row);
    i.accountId = text(rs, "account_id", row);
    i.provider = text(rs, "provider", row);
    i.kind = text(rs, "kind", row);
    i.displayName = text(rs, "display_name", row);
    i.status = text(rs, "status", row);
    i.statusReason = text(rs, "status_reason", row);
    i.targetUrl = text(rs, "target_url", row);
    i.events = splitEvents(text(rs, "events", row));
    i.settingsJson = text(rs, "settings", row);
    i.secretSettingsSealed = text(rs, "secret_settings", row);
    i.signingSecretSealed = text(rs, "signing_secret", row);
    i.createdAt = integer(rs, "created_at", row);
    i.updatedAt = integer(rs, "updated_at", row);
    i.lastDeliveryAt = optionalInteger(rs, "last_delivery_at", row);
    i.requestsSent = integer(rs, "requests_sent", row);
    return i;
}

Account accountAt(RecordSet& rs, std::size_t row) {
    Account a;
    a.id = text(rs, "id", row);
    a.name = text(rs, "name", row);
    a.plan = text(rs, "plan", row);
    a.status = text(rs, "status", row);
    a.createdAt = integer(rs, "created_at", row);
    return a;
}

// The database's complaint as one log-friendly line (libpq's messages span several).
StoreUnavailable unavailable(const Poco::Exception& e, bool outcomeUnknown = false) {
    return StoreUnavailable("database: " + oneLine(e.displayText()), outcomeUnknown);
}

// SQLite failures that mean the database cannot take writes now (rather than a bad statement):
// no space, an I/O error, the file gone or read-only, locked by someone else for too long.
bool sqliteOutage(const Poco::Exception& e) {
    namespace sqlite = Poco::Data::SQLite;
    return dynamic_cast<const sqlite::DatabaseFullException*>(&e) || dynamic_cast<const sqlite::IOErrorException*>(&e) ||
           dynamic_cast<const sqlite::CantOpenDBFileException*>(&e) ||
           dynamic_cast<const sqlite::ReadOnlyException*>(&e) || dynamic_cast<const sqlite::DBLockedException*>(&e);
}

void rollbackQuietly(Session& s) {
    try {
        if (s.isTransaction()) s.rollback();
    } catch (...) {
        // The original failure is the one worth reporting.
    }
}

std::int64_t sqliteChanges(Session& s) {
    return sqlite3_total_changes(Poco::Data::SQLite::Utility::dbHandle(s));
}

constexpr std::int64_t kFanoutCacheMs = 1000;
constexpr std::int64_t kAccountCacheMs = 1000;

core::RepeatingErrorLog::Options busyLogOptions(std::chrono::milliseconds summaryInterval) {
    core::RepeatingErrorLog::Options o;
    o.priority = Poco::Message::PRIO_WARNING;
    o.summaryInterval = summaryInterval;
    return o;
}

}  // namespace

// A session borrowed for one operation: the SQLite connection under its mutex, or a pooled
// PostgreSQL connection admitted by the health check, opened by the operation's deadline and
// watched until it (ConnectionWatchdog). Returned only as a prvalue, never moved.
class SqlStore::Lease {
public:
    using Clock = std::chrono::steady_clock;

    explicit Lease(SqlStore& store) : store_(store) {
        if (store.sqliteSession_) {
            lock_ = std::unique_lock(store.sqliteMutex_);
            session_ = store.sqliteSession_.get();
            changesBefore_ = sqliteChanges(*session_);
            return;
        }
        store.health_->admit();
        deadline_ = Clock::now() + store.options_.timeout;
        try {
            pooled_ = store.pool_->borrow(deadline_);
        } catch (const ConnectionFailed& e) {
            throw outage(e);
        } catch (const PoolExhausted& e) {
            store.busyLog_.failed("database connections", e.what());
            throw DatabaseOutage(std::string("database: ") + e.what());
        }
        store.busyLog_.succeeded("database connections");
        session_ = &pooled_->session();
        watch();
    }
    // Migrations wait for another process's (an advisory lock) as long as it takes: no deadline
    // on statements, only on opening the connection.
    struct Unwatched {};
    Lease(SqlStore& store, Unwatched) : store_(store) {
        try {
            pooled_ = store.pool_->borrow(Clock::now() + store.options_.timeout);
        } catch (const std::runtime_error& e) {  // ConnectionFailed, PoolExhausted
            throw StoreUnavailable(std::string("database: ") + e.what());
        }
        session_ = &pooled_->session();
    }
    ~Lease() {
        if (pooled_ && pooled_->connection().usable()) rollbackQuietly(*session_);  // still watched
        watch_.reset();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Session& get() { return *session_; }

    // The operation went through.
    void succeeded() {
        // On SQLite only a write proves that the database takes writes again: reads keep
        // working on a full disk.
        if (!store_.sqliteSession_ || sqliteChanges(*session_) != changesBefore_) store_.health_->succeeded();
    }

    // After an operation failed with `e`: returns when it may run again — its pooled connection
    // had been dropped by the server and is back, and `mayRetry` (it changed nothing) — and
    // otherwise throws what the caller should see: DatabaseOutage when the database itself is
    // unavailable (reported to the health check), StoreUnavailable when it was this operation.
    // `committing`: the failure came from COMMIT; if the connection was lost or cut then, the
    // server may have committed all the same (see StoreUnavailable::outcomeUnknown).
    void recover(const Poco::Exception& e, bool mayRetry, bool committing = false) {
        if (store_.sqliteSession_) {
            if (!sqliteOutage(e)) throw unavailable(e);
            const std::string reason = oneLine(e.displayText());
            store_.health_->failed(reason, true);
            throw DatabaseOutage("database: " + reason);
        }
        if (watch_ && watch_->expired()) {
            const std::string reason =
                "no answer within " + core::RepeatingErrorLog::describe(store_.options_.timeout);
            store_.health_->failed(reason, true);
            throw DatabaseOutage("database: " + reason, committing);
        }
        PostgresConnection& connection = pooled_->connection();
        if (connection.usable()) throw unavailable(e);  // the server's own answer: nothing stored
        // The connection broke (a restart, a failover, a terminated backend): whether the
        // database is unavailable or only this connection was lost, reopening it tells.
        watch_.reset();
        try {
            connection.open(deadline_);
        } catch (const ConnectionFailed& failure) {
            throw outage(failure, committing);
        }
        session_ = &connection.session();
        if (deadline_ != Clock::time_point()) watch();
        if (!mayRetry) throw unavailable(e, committing);
    }

private:
    DatabaseOutage outage(const ConnectionFailed& e, bool outcomeUnknown = false) {
        store_.health_->failed(e.what(), e.reachedServer());
        return DatabaseOutage(std::string("database: ") + e.what(), outcomeUnknown);
    }
    void watch() { watch_ = store_.watchdog_->watch(pooled_->connection().watchSocket(), deadline_); }

    SqlStore& store_;
    std::unique_lock<std::mutex> lock_;
    std::unique_ptr<ConnectionPool::Borrowed> pooled_;
    std::unique_ptr<ConnectionWatchdog::Watch> watch_;
    Clock::time_point deadline_{};
    Session* session_ = nullptr;
    std::int64_t changesBefore_ = 0;
};

SqlStore::Lease SqlStore::session() { return Lease(*this); }

template <typename F>
auto SqlStore::counted(Caller caller, F&& work) {
    try {
        return work();
    } catch (const DatabaseOutage&) {
        if (caller == Caller::Api) health_->refused();
        throw;
    } catch (const StoreUnavailable&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw unavailable(e);
    }
}

template <typename F>
auto SqlStore::transaction(Caller caller, F&& work) {
    return counted(caller, [&] {
        Lease lease = session();
        for (int tries = 0;; ++tries) {
            Session& s = lease.get();
            bool begun = false;
            bool committing = false;
            try {
                s.begin();
                begun = true;
                if constexpr (std::is_void_v<decltype(work(s))>) {
                    work(s);
                    committing = true;
                    s.commit();
                    lease.succeeded();
                    return;
                } else {
                    auto result = work(s);
                    committing = true;
                    s.commit();
                    lease.succeeded();
                    return result;
                }
            } catch (const Poco::Exception& e) {
                rollbackQuietly(s);
                // A BEGIN that failed changed nothing: it may run again on a new connection.
                lease.recover(e, !begun && tries == 0, committing);
            } catch (...) {
                rollbackQuietly(s);
                throw;
            }
        }
    });
}

template <typename F>
auto SqlStore::read(Caller caller, F&& work) {
    return counted(caller, [&] {
        Lease lease = session();
        for (int tries = 0;; ++tries) {
            try {
                auto result = work(lease.get());
                lease.succeeded();
                return result;
            } catch (const Poco::Exception& e) {
                lease.recover(e, tries == 0);  // a read is safe to run again
            }
        }
    });
}

template <typename F>
void SqlStore::withWriters(Session& s, F&& work) {
    // SQLite: one connection, so its prepared statements are kept for the store's life.
    // A pooled connection gets its own set for the transaction at hand.
    if (sqliteSession_) {
        if (!sqliteWriters_) sqliteWriters_ = std::make_unique<PreparedWriters>(*sqliteSession_);
        work(*sqliteWriters_);
    } else {
        PreparedWriters writers(s);
        work(writers);
    }
}

SqlStore::SqlStore(const SqlStoreOptions& options)
    : options_(options), busyLog_(Poco::Logger::get("database"), busyLogOptions(options.health.summaryInterval)) {
    try {
        if (options.dialect == SqlDialect::Sqlite) {
            health_ = std::make_unique<DatabaseHealth>(options.health, nullptr, Poco::Logger::get("database"));
            Poco::Data::SQLite::Connector::registerConnector();
            sqliteSession_ = std::make_unique<Session>("SQLite", options.connectionString);
            *sqliteSession_ << "PRAGMA journal_mode=WAL", now;
            *sqliteSession_ << "PRAGMA synchronous=NORMAL", now;
            *sqliteSession_ << "PRAGMA busy_timeout=" + std::to_string(options.timeout.count()), now;
            *sqliteSession_ << "PRAGMA foreign_keys=ON", now;
            schemaVersion_ = migrateSchema(*sqliteSession_, options.dialect);
        } else {
            const std::string conninfo = options.connectionString;
            const auto timeout = options.timeout;
            health_ = std::make_unique<DatabaseHealth>(
                options.health, [conninfo, timeout] { return tryConnect(conninfo, std::chrono::steady_clock::now() + timeout); },
                Poco::Logger::get("database"));
            Poco::Data::PostgreSQL::Connector::registerConnector();
            watchdog_ = std::make_unique<ConnectionWatchdog>();
            pool_ = std::make_unique<ConnectionPool>(conninfo, std::max(1, options.poolSize), watchdog_.get());
            Lease lease(*this, Lease::Unwatched{});
            schemaVersion_ = migrateSchema(lease.get(), options.dialect);
        }
    } catch (const Poco::Exception& e) {
        throw StoreUnavailable(std::string("cannot open the database (") + unavailable(e).what() + ")");
    } catch (const StoreUnavailable& e) {
        throw StoreUnavailable(std::string("cannot open the database (") + e.what() + ")");
    }
}

SqlStore::~SqlStore() = default;

void SqlStore::releaseAllLeases() {
    transaction(Caller::Engine, [](Session& s) {
        s << "UPDATE deliveries SET lease_owner = '', lease_until = 0 WHERE status = 'pending'",
            now;
    });
}

// ---- accounts -------------------------------------------------------------------------------

namespace {

void insertApiKey(Session& s, const NewApiKey& k) {
    s << "INSERT INTO api_keys (key_hash, account_id, created_at, id, prefix) VALUES ($1,$2,$3,$4,$5)",
        bind(k.hash), bind(k.key.accountId), bind(static_cast<Int64>(k.key.createdAt)), bind(k.key.id),
        bind(k.key.prefix), now;
}

// A key's id. Keys written by a process of the version before migration 6 (a rolling upgrade)
// have none: they get the id the migration gave the keys it found, made from the hash.
const char* const kApiKeyId = "COALESCE(id, 'key_' || substr(key_hash, 1, 32))";

// A key's lastUsedAt is rewritten only when it is older than this: a key in constant use costs
// one write a minute, not one per request.
constexpr std::int64_t kKeyUseResolutionMs = 60000;

}  // namespace

void SqlStore::createAccount(const Account& account, const NewApiKey& firstKey) {
    transaction(Caller::Api, [&](Session& s) {
        s << "INSERT INTO accounts (id, name, plan, status, created_at) VALUES ($1,$2,$3,$4,$5)",
            bind(account.id), bind(account.name), bind(account.plan), bind(account.status),
            bind(static_cast<Int64>(account.createdAt)), now;
        insertApiKey(s, firstKey);
    });
}

std::optional<Account> SqlStore::findAccount(const std::string& id) {
    const std::int64_t nowMs = core::nowMillis();
    {
        std::lock_guard lock(accountMutex_);
        const auto it = accountCache_.find(id);
        if (it != accountCache_.end() && nowMs - it->second.loadedAt < kAccountCacheMs) return it->second.account;
    }
    auto account = read(Caller::Api, [&](Session& s) -> std::optional<Account> {
        Statement select(s);
        select << "SELECT id, name, plan, status, created_at FROM accounts WHERE id = $1",
            bind(id), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        return accountAt(rs, 0);
    });
    if (account) {
        std::lock_guard lock(accountMutex_);
        if (accountCache_.size() > 100000) accountCache_.clear();
        accountCache_[id] = {nowMs, *account};
    }
    return account;
}

std::optional<Account> SqlStore::findAccountByApiKeyHash(const std::string& hash) {
    struct Found {
        Account account;
        std::optional<Int64> lastUsedAt;
    };
    const auto found = read(Caller::Api, [&](Session& s) -> std::optional<Found> {
        Statement select(s);
        select << "SELECT a.id, a.name, a.plan, a.status, a.created_at, k.last_used_at"
                  " FROM api_keys k JOIN accounts a ON a.id = k.account_id"
                  " WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
            bind(hash), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        return Found{accountAt(rs, 0), optionalInteger(rs, "last_used_at", 0)};
    });
    if (!found) return std::nullopt;
    const Int64 nowMs = core::nowMillis();
    if (!found->lastUsedAt || nowMs - *found->lastUsedAt >= kKeyUseResolutionMs) {
        try {
            transaction(Caller::Api, [&](Session& s) {
                s << "UPDATE api_keys SET last_used_at = $1 WHERE key_hash = $2", bind(nowMs), bind(hash), now;
            });
        } catch (const std::exception&) {
            // Bookkeeping only: the request is not refused because it could not be noted.
        }
    }
    return found->account;
}

bool SqlStore::updateAccount(const std::string& id, const std::optional<std::string>& plan,
                             const std::optional<std::string>& status) {
    {
        std::lock_guard lock(accountMutex_);
        accountCache_.erase(id);
    }
    return transaction(Caller::Api, [&](Session& s) {
        std::size_t changed = 0;
        if (plan) {
            Statement update(s);
            update << "UPDATE accounts SET plan = $1 WHERE id = $2", bind(*plan), bind(id);
            changed = update.execute();
        }
        if (status) {
            Statement update(s);
            update << "UPDATE accounts SET status = $1 WHERE id = $2", bind(*status), bind(id);
            changed = update.execute();
        }
        if (!plan && !status) {
            Statement select(s);
            select << "SELECT id FROM accounts WHERE id = $1", bind(id), now;
            changed = RecordSet(select).rowCount();
        }
        return changed > 0;
    });
}

std::vector<Account> SqlStore::listAccounts(const std::optional<AccountPosition>& after, int limit) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id, name, plan, status, created_at FROM accounts";
        if (after) {
            select << " WHERE created_at > $1 OR (created_at = $1 AND id > $2)",
                bind(static_cast<Int64>(after->createdAt)), bind(after->id);
        }
        select << " ORDER BY created_at, id LIMIT $" << (after ? "3" : "1"), bind(limit);
        select.execute();
        RecordSet rs(select);
        std::vector<Account> out;
        out.reserve(rs.rowCount());
        for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(accountAt(rs, row));
        return out;
    });
}

bool SqlStore::addApiKey(const NewApiKey& key) {
    return transaction(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id FROM accounts WHERE id = $1", bind(key.key.accountId), now;
        if (RecordSet(select).rowCount() == 0) return false;
        insertApiKey(s, key);
        return true;
    });
}

std::vector<ApiKey> SqlStore::listApiKeys(const std::string& accountId) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kApiKeyId << " AS id, account_id, prefix, created_at, last_used_at FROM api_keys"
                  " WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at, id",
            bind(accountId), now;
        RecordSet rs(select);
        std::vector<ApiKey> out;
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            out.push_back({text(rs, "id", row), text(rs, "account_id", row), text(rs, "prefix", row),
                           integer(rs, "created_at", row), optionalInteger(rs, "last_used_at", row)});
        }
        return out;
    });
}

bool SqlStore::revokeApiKey(const std::string& accountId, const std::string& keyId, std::int64_t nowMs) {
    return transaction(Caller::Api, [&](Session& s) {
        Statement revoke(s);
        revoke << "UPDATE api_keys SET revoked_at = $1 WHERE " << kApiKeyId
               << " = $2 AND account_id = $3 AND revoked_at IS NULL",
            bind(static_cast<Int64>(nowMs)), bind(keyId), bind(accountId);
        return revoke.execute() > 0;
    });
}

std::optional<std::string> SqlStore::activeApiKeyId(const std::string& hash) {
    return read(Caller::Api, [&](Session& s) -> std::optional<std::string> {
        Statement select(s);
        select << "SELECT " << kApiKeyId << " AS id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            bind(hash), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        return text(rs, "id", 0);
    });
}

bool SqlStore::apiKeyActive(const std::string& keyId) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        // By the indexed id first; keys a previous version wrote have none (see kApiKeyId).
        select << "SELECT 1 AS found FROM api_keys WHERE (id = $1 OR (id IS NULL AND " << kApiKeyId
               << " = $1)) AND revoked_at IS NULL",
            bind(keyId), now;
        return RecordSet(select).rowCount() > 0;
    });
}

// ---- integrations ---------------------------------------------------------------------------

void SqlStore::createIntegration(const Integration& i) {
    forgetFanout(i.accountId);
    transaction(Caller::Api, [&](Session& s) {
        s << "INSERT INTO integrations (id, account_id, provider, kind, display_name, status,"
             " status_reason, target_url, events, settings, secret_settings, signing_secret,"
             " failed_streak, created_at, updated_at, last_delivery_at)"
             " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,0,$13,$14,NULL)",
            bind(i.id), bind(i.accountId), bind(i.provider), bind(i.kind), bind(i.displayName),
            bind(i.status), bind(i.statusReason), bind(i.targetUrl), bind(joinEvents(i.events)),
            bind(i.settingsJson), bind(i.secretSettingsSealed), bind(i.signingSecretSealed),
            bind(static_cast<Int64>(i.createdAt)), bind(static_cast<Int64>(i.updatedAt)), now;
    });
}

std::optional<Integration> SqlStore::findIntegration(const std::string& accountId,
                                                     const std::string& id) {
    return read(Caller::Api, [&](Session& s) -> std::optional<Integration> {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns
               << " FROM integrations WHERE id = $1 AND account_id = $2",
            bind(id), bind(accountId), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        return integrationAt(rs, 0);
    });
}

std::optional<Integration> SqlStore::integrationById(const std::string& id) {
    return read(Caller::Engine, [&](Session& s) -> std::optional<Integration> {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns << " FROM integrations WHERE id = $1",
            bind(id), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        return integrationAt(rs, 0);
    });
}

std::vector<Integration> SqlStore::listIntegrations(const std::string& accountId) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns
               << " FROM integrations WHERE account_id = $1 ORDER BY created_at, id",
            bind(accountId), now;
        RecordSet rs(select);
        std::vector<Integration> out;
        out.reserve(rs.rowCount());
        for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(integrationAt(rs, row));
        return out;
    });
}

std::vector<FanoutTarget> SqlStore::fanoutTargets(const std::string& accountId) {
    // Cached only where this process is the only writer (SQLite). With PostgreSQL another process
    // may have just created or paused an integration, and the next event must see it.
    const bool cacheable = options_.dialect == SqlDialect::Sqlite;
    const std::int64_t nowMs = core::nowMillis();
    if (cacheable) {
        std::lock_guard lock(fanoutMutex_);
        const auto it = fanoutCache_.find(accountId);
        if (it != fanoutCache_.end() && nowMs - it->second.loadedAt < kFanoutCacheMs) return it->second.targets;
    }
    auto targets = read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id, status, events FROM integrations WHERE account_id = $1", bind(accountId), now;
        RecordSet rs(select);
        std::vector<FanoutTarget> out;
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            out.push_back({text(rs, "id", row), text(rs, "status", row), splitEvents(text(rs, "events", row))});
        }
        return out;
    });
    if (!cacheable) return targets;
    std::lock_guard lock(fanoutMutex_);
    if (fanoutCache_.size() > 100000) fanoutCache_.clear();
    fanoutCache_[accountId] = {nowMs, targets};
    return targets;
}

void SqlStore::forgetFanout(const std::string& accountId) {
    std::lock_guard lock(fanoutMutex_);
    fanoutCache_.erase(accountId);
}

void SqlStore::forgetAllFanout() {
    std::lock_guard lock(fanoutMutex_);
    fanoutCache_.clear();
}

bool SqlStore::updateIntegration(const Integration& i) {
    forgetFanout(i.accountId);
    return transaction(Caller::Api, [&](Session& s) {
        Statement update(s);
        // Re-activating resets the failure streak that may have disabled it; a rename does not.
        // (Right-hand sides see the row as it was.) Placeholders are numbered in order of first
        // appearance: SQLite binds them by position, PostgreSQL by number.
        update << "UPDATE integrations SET display_name = $1, status = $2, status_reason = $3,"
                  " events = $4, updated_at = $5,"
                  " failed_streak = CASE WHEN $6 = 'active' AND status <> 'active' THEN 0 ELSE failed_streak END"
                  " WHERE id = $7 AND account_id = $8",
            bind(i.displayName), bind(i.status), bind(i.statusReason), bind(joinEvents(i.events)),
            bind(static_cast<Int64>(i.updatedAt)), bind(i.status), bind(i.id), bind(i.accountId);
        return update.execute() > 0;
    });
}

bool SqlStore::deleteIntegration(const std::string& accountId, const std::string& id) {
    forgetFanout(accountId);
    return transaction(Caller::Api, [&](Session& s) {
        Statement remove(s);
        remove << "DELETE FROM integrations WHERE id = $1 AND account_id = $2", bind(id),
            bind(accountId);
        if (remove.execute() == 0) return false;
        s << "UPDATE deliveries SET status = 'cancelled', lease_owner = '', lease_until = 0,"
             " updated_at = $1 WHERE integration_id = $2 AND status = 'pending'",
            bind(static_cast<Int64>(core::nowMillis())), bind(id), now;
        return true;
    });
}

DeliveryStats SqlStore::deliveryStats(const std::string& integrationId) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT status, COUNT(*) AS n FROM deliveries WHERE integration_id = $1"
                  " GROUP BY status",
            bind(integrationId), now;
        RecordSet rs(select);
        DeliveryStats stats;
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            const std::string status = text(rs, "status", row);
            const Int64 n = integer(rs, "n", row);
            stats.total += n;
            if (status == "pending") stats.pending = n;
            else if (status == "succeeded") stats.succeeded = n;
            else if (status == "failed") stats.failed = n;
            else if (status == "cancelled") stats.cancelled = n;
        }
        return stats;
    });
}

// ---- events and deliveries --------------------------------------------------------------------

std::optional<IdempotentReplay> SqlStore::publishInto(Session& s, const PublishBatch& batch) {
    const std::string& accountId = batch.events.front().accountId;
    if (!batch.idempotencyKey.empty()) {
        // A key older than its retention is forgotten: the publish takes it anew.
        s << "DELETE FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2 AND created_at < $3",
            bind(accountId), bind(batch.idempotencyKey), bind(static_cast<Int64>(batch.idempotencyNotBefore)), now;
        Statement select(s);
        select << "SELECT response, request_hash FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2",
            bind(accountId), bind(batch.idempotencyKey), now;
        RecordSet rs(select);
        if (rs.rowCount() > 0) return IdempotentReplay{text(rs, "response", 0), text(rs, "request_hash", 0)};
        s << "INSERT INTO idempotency_keys (account_id, idem_key, response, created_at, request_hash)"
             " VALUES ($1,$2,$3,$4,$5)",
            bind(accountId), bind(batch.idempotencyKey), bind(batch.responseJson),
            bind(static_cast<Int64>(batch.events.front().createdAt)), bind(batch.requestHash), now;
    }
    withWriters(s, [&](PreparedWriters& writers) {
        writers.insertEvents(batch.events);
        writers.insertDeliveries(batch.deliveries);
    });
    return std::nullopt;
}

// A publish waiting to be written by whichever thread holds the connection (group commit).
struct SqlStore::PendingPublish {
    const PublishBatch* batch = nullptr;
    std::optional<IdempotentReplay> result;
    std::exception_ptr error;
    bool done = false;
};

std::optional<IdempotentReplay> SqlStore::publish(const PublishBatch& batch) {
    if (!sqliteSession_) return transaction(Caller::Api, [&](Session& s) { return publishInto(s, batch); });

    // SQLite has one writer: rather than one transaction per event, the thread that gets the
    // connection writes every publish queued by then in one transaction, and the others find
    // theirs done. Waiters are blocked on the connection lock, so no other signal is needed.
    return counted(Caller::Api, [&] {
        PendingPublish mine;
        mine.batch = &batch;
        {
            std::lock_guard queue(publishQueueMutex_);
            publishQueue_.push_back(&mine);
        }
        {
            Lease lease = session();
            std::vector<PendingPublish*> group;
            {
                std::lock_guard queue(publishQueueMutex_);
                if (!mine.done) group.swap(publishQueue_);
            }
            if (!group.empty()) {
                Session& s = lease.get();
                std::exception_ptr failure;
                try {
                    s.begin();
                    for (PendingPublish* p : group) p->result = publishInto(s, *p->batch);
                    s.commit();
                    lease.succeeded();
                } catch (const Poco::Exception& e) {
                    rollbackQuietly(s);
                    try {
                        lease.recover(e, false);  // throws what every publish of the group gets
                    } catch (...) {
                        failure = std::current_exception();
                    }
                } catch (...) {
                    rollbackQuietly(s);
                    failure = std::current_exception();
                }
                std::lock_guard queue(publishQueueMutex_);
                for (PendingPublish* p : group) {
                    if (failure) p->error = failure;
                    p->done = true;
                }
            }
        }
        if (mine.error) std::rethrow_exception(mine.error);
        return mine.result;
    });
}

namespace {

const char* const kClaimedColumns =
    "d.id, d.event_id, d.integration_id, d.account_id, d.status, d.attempts, d.schedule_index, d.parts_done,"
    " d.next_attempt_at, d.created_at, e.type, e.created_at AS event_created_at, e.test, e.envelope";

// Due, not leased, of an active integration (`i`) not in the excluded list: the deliveries row
// `alias` with $first = now and the excluded ids from $first + 1.
std::string dueCondition(const std::string& alias, std::size_t first, std::size_t excluded) {
    // Appended rather than `"$" + std::to_string(first)`: GCC 12 at -O3 (Release) inlines that
    // operator+ into an insert at offset 0 and reports a memcpy overlap that cannot happen
    // (-Wrestrict), which breaks a build with warnings as errors.
    std::string now = "$";
    now += std::to_string(first);
    std::string sql = alias + ".status = 'pending' AND " + alias + ".next_attempt_at <= " + now + " AND " + alias +
                      ".lease_until < " + now + " AND i.status = 'active'";
    if (excluded > 0) sql += " AND " + alias + ".integration_id NOT IN " + placeholderRows(1, excluded, first + 1);
    return sql;
}

std::vector<ClaimedDelivery> claimedFrom(RecordSet& rs) {
    std::vector<ClaimedDelivery> out;
    out.reserve(rs.rowCount());
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        ClaimedDelivery c;
        c.delivery.id = text(rs, "id", row);
        c.delivery.eventId = text(rs, "event_id", row);
        c.delivery.integrationId = text(rs, "integration_id", row);
        c.delivery.accountId = text(rs, "account_id", row);
        c.delivery.status = text(rs, "status", row);
        c.delivery.attempts = static_cast<int>(integer(rs, "attempts", row));
        c.delivery.scheduleIndex = static_cast<int>(integer(rs, "schedule_index", row));
        c.delivery.partsDone = static_cast<int>(integer(rs, "parts_done", row));
        c.delivery.nextAttemptAt = integer(rs, "next_attempt_at", row);
        c.delivery.createdAt = integer(rs, "created_at", row);
        c.event.id = c.delivery.eventId;
        c.event.accountId = c.delivery.accountId;
        c.event.type = text(rs, "type", row);
        c.event.createdAt = integer(rs, "event_created_at", row);
        c.event.test = integer(rs, "test", row) != 0;
        c.event.envelopeJson = text(rs, "envelope", row);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

std::vector<ClaimedDelivery> SqlStore::claimDue(const std::string& owner, std::int64_t nowMs,
                                                std::int64_t leaseUntil, int limit,
                                                const std::vector<std::string>& excluded) {
    return transaction(Caller::Engine, [&](Session& s) {
        const bool postgres = options_.dialect == SqlDialect::Postgres;
        Statement claim(s);
        // Placeholders are numbered in order of appearance (see updateIntegration).
        if (postgres) {
            // The claim must walk the queue index in order and stop after `limit` rows. With
            // statistics taken when little was pending (a quiet hour, a fresh database), the
            // planner may instead join every pending row and sort them: measured at 200+ ms a
            // claim with 30,000 pending, against 1.5 ms. For this transaction only, make
            // sorts, hash and merge joins and bitmap scans a last resort.
            HotStatement(s, "SELECT set_config('enable_sort', 'off', true), set_config('enable_hashjoin', 'off', true),"
                            " set_config('enable_mergejoin', 'off', true), set_config('enable_bitmapscan', 'off', true)")
                .execute();
            // One statement locks the oldest due rows (skipping rows another process holds),
            // leases them and returns what is needed to send them.
            claim << "UPDATE deliveries d SET lease_owner = $1, lease_until = $2 FROM (SELECT q.id FROM deliveries q"
                     " JOIN integrations i ON i.id = q.integration_id WHERE "
                  << dueCondition("q", 3, excluded.size()) << " ORDER BY q.next_attempt_at LIMIT $"
                  << std::to_string(excluded.size() + 4)
                  << " FOR UPDATE OF q SKIP LOCKED) due, events e WHERE d.id = due.id AND e.id = d.event_id"
                     " RETURNING "
                  << kClaimedColumns;
            claim, bind(owner), bind(static_cast<Int64>(leaseUntil));
        } else {
            // One process, under the store's lock: read the oldest due rows, then lease them.
            claim << "SELECT " << kClaimedColumns
                  << " FROM deliveries d JOIN integrations i ON i.id = d.integration_id"
                     " JOIN events e ON e.id = d.event_id WHERE "
                  << dueCondition("d", 1, excluded.size()) << " ORDER BY d.next_attempt_at LIMIT $"
                  << std::to_string(excluded.size() + 2);
        }
        claim, bind(static_cast<Int64>(nowMs));
        for (const std::string& id : excluded) claim, bind(id);
        claim, bind(limit);
        claim.execute();
        RecordSet rs(claim);
        std::vector<ClaimedDelivery> out = claimedFrom(rs);
        if (!postgres && !out.empty()) {
            Statement lease(s);
            lease << "UPDATE deliveries SET lease_owner = $1, lease_until = $2 WHERE id IN "
                  << placeholderRows(1, out.size(), 3),
                bind(owner), bind(static_cast<Int64>(leaseUntil));
            for (const auto& c : out) lease, bind(c.delivery.id);
            lease.execute();
        }
        return out;
    });
}

namespace {

// What one batch of outcomes changes on one integration.
struct IntegrationTally {
    std::int64_t lastAttemptAt = 0;
    int requestsAccepted = 0;
    bool succeeded = false;         // some delivery succeeded: the failure streak restarts
    int exhaustedSinceSuccess = 0;  // exhausted deliveries after the batch's last success
    std::string disableReason;
};

std::map<std::string, IntegrationTally> tally(const std::vector<const AttemptOutcome*>& outcomes) {
    std::map<std::string, IntegrationTally> out;
    for (const AttemptOutcome* outcome : outcomes) {
        const AttemptOutcome& o = *outcome;
        IntegrationTally& t = out[o.attempt.integrationId];
        t.lastAttemptAt = std::max(t.lastAttemptAt, o.attempt.createdAt);
        t.requestsAccepted += o.requestsAccepted;
        if (o.deliveryStatus == "succeeded") {
            t.succeeded = true;
            t.exhaustedSinceSuccess = 0;
        } else if (o.deliveryExhausted) {
            ++t.exhaustedSinceSuccess;
        }
        if (!o.disableReason.empty()) t.disableReason = o.disableReason;
    }
    return out;
}

}  // namespace

std::vector<DisabledIntegration> SqlStore::recordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                                          int disableAfterFailedDeliveries) {
    if (outcomes.empty()) return {};
    bool mayDisable = false;
    std::vector<DisabledIntegration> disabled;
    transaction(Caller::Engine, [&](Session& s) {
        disabled.clear();  // (a transaction that is run again starts afresh)
        const Int64 nowMs = core::nowMillis();
        // Outcomes whose attempt is already logged were recorded before (a retry after a commit
        // whose acknowledgement was lost): they change nothing again.
        std::vector<const AttemptOutcome*> fresh;
        withWriters(s, [&](PreparedWriters& writers) {
            std::vector<const Attempt*> attempts;
            for (const AttemptOutcome& o : outcomes) attempts.push_back(&o.attempt);
            const std::vector<bool> inserted = writers.insertAttempts(attempts);
            std::vector<PreparedWriters::Claim> succeeded;
            for (std::size_t i = 0; i < outcomes.size(); ++i) {
                if (!inserted[i]) continue;
                fresh.push_back(&outcomes[i]);
                if (outcomes[i].deliveryStatus == "succeeded") {
                    succeeded.push_back({outcomes[i].attempt.deliveryId, outcomes[i].leaseOwner});
                }
            }
            writers.succeedDeliveries(succeeded, nowMs);
        });

        // Only the holder of the claim moves a delivery on; a claim that expired and was taken
        // by another process leaves that process in charge (its attempt is still logged above).
        // A lease owner is set only on pending deliveries and cleared by every change of status,
        // so it implies `status = 'pending'`; saying so in the WHERE would invite PostgreSQL to
        // scan the partial queue index instead of the primary key when its statistics say
        // "few pending".
        for (const AttemptOutcome* outcome : fresh) {
            const AttemptOutcome& o = *outcome;
            if (o.deliveryStatus == "succeeded") continue;  // done above
            const Attempt& a = o.attempt;
            s << "UPDATE deliveries SET status = $1, attempts = $2, schedule_index = $3,"
                 " parts_done = $4, next_attempt_at = $5, lease_owner = '', lease_until = 0,"
                 " updated_at = $6 WHERE id = $7 AND lease_owner = $8",
                bind(o.deliveryStatus), bind(a.attempt), bind(o.scheduleIndex), bind(o.partsDone),
                bind(static_cast<Int64>(o.nextAttemptAt)), bind(static_cast<Int64>(a.createdAt)),
                bind(a.deliveryId), bind(o.leaseOwner), now;
        }
        const std::string streakReason = "disabled after " + std::to_string(disableAfterFailedDeliveries) +
                                         " consecutive deliveries failed every attempt";
        const auto tallies = tally(fresh);
        withWriters(s, [&](PreparedWriters& writers) {
            for (const auto& [integrationId, t] : tallies) {
                writers.tallyIntegration(integrationId, t.lastAttemptAt, t.requestsAccepted, t.succeeded,
                                         t.exhaustedSinceSuccess);
            }
        });
        for (const auto& [integrationId, t] : tallies) {
            if (!t.disableReason.empty()) {
                mayDisable = true;
                Statement disable(s);
                disable << "UPDATE integrations SET status = 'disabled', status_reason = $1, updated_at = $2"
                           " WHERE id = $3 AND status = 'active'",
                    bind(t.disableReason), bind(nowMs), bind(integrationId);
                if (disable.execute() > 0) disabled.push_back({integrationId, t.disableReason});
            }
            if (t.exhaustedSinceSuccess > 0) {
                mayDisable = true;
                Statement disable(s);
                disable << "UPDATE integrations SET status = 'disabled', status_reason = $1, updated_at = $2"
                           " WHERE id = $3 AND status = 'active' AND failed_streak >= $4",
                    bind(streakReason), bind(nowMs), bind(integrationId), bind(disableAfterFailedDeliveries);
                if (disable.execute() > 0) disabled.push_back({integrationId, streakReason});
            }
        }
    });
    if (mayDisable) forgetAllFanout();
    return disabled;
}

void SqlStore::deferDeliveries(const std::vector<DeferredDelivery>& deferred) {
    if (deferred.empty()) return;
    transaction(Caller::Engine, [&](Session& s) {
        for (const DeferredDelivery& d : deferred) {
            s << "UPDATE deliveries SET next_attempt_at = $1, lease_owner = '', lease_until = 0"
                 " WHERE id = $2 AND lease_owner = $3",
                bind(static_cast<Int64>(d.nextAttemptAt)), bind(d.deliveryId), bind(d.leaseOwner), now;
        }
    });
}

namespace {

const char* const kAttemptColumns =
    "id, delivery_id, integration_id, event_id, event_type, attempt, status,"
    " response_status, response_body, error, duration_ms, created_at, next_attempt_at";

std::vector<Attempt> attemptsFrom(RecordSet& rs) {
    std::vector<Attempt> out;
    out.reserve(rs.rowCount());
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        Attempt a;
        a.id = text(rs, "id", row);
        a.deliveryId = text(rs, "delivery_id", row);
        a.integrationId = text(rs, "integration_id", row);
        a.eventId = text(rs, "event_id", row);
        a.eventType = text(rs, "event_type", row);
        a.attempt = static_cast<int>(integer(rs, "attempt", row));
        a.status = text(rs, "status", row);
        if (auto v = optionalInteger(rs, "response_status", row)) a.responseStatus = static_cast<int>(*v);
        if (!isNull(rs, "response_body", row)) a.responseBody = text(rs, "response_body", row);
        if (!isNull(rs, "error", row)) a.error = text(rs, "error", row);
        a.durationMs = integer(rs, "duration_ms", row);
        a.createdAt = integer(rs, "created_at", row);
        a.nextAttemptAt = optionalInteger(rs, "next_attempt_at", row);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

std::vector<Attempt> SqlStore::recentAttempts(const std::string& integrationId, int limit) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kAttemptColumns
               << " FROM attempts WHERE integration_id = $1 ORDER BY created_at DESC, attempt DESC LIMIT $2",
            bind(integrationId), bind(limit), now;
        RecordSet rs(select);
        return attemptsFrom(rs);
    });
}

std::optional<DeliveryHistory> SqlStore::deliveryHistory(const std::string& deliveryId) {
    return read(Caller::Api, [&](Session& s) -> std::optional<DeliveryHistory> {
        Statement select(s);
        select << "SELECT d.id, d.event_id, d.integration_id, d.account_id, d.status, d.attempts,"
                  " d.schedule_index, d.parts_done, d.next_attempt_at, d.created_at, d.updated_at, e.type"
                  " FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = $1",
            bind(deliveryId), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return std::nullopt;
        DeliveryHistory h;
        Delivery& d = h.delivery;
        d.id = text(rs, "id", 0);
        d.eventId = text(rs, "event_id", 0);
        d.integrationId = text(rs, "integration_id", 0);
        d.accountId = text(rs, "account_id", 0);
        d.status = text(rs, "status", 0);
        d.attempts = static_cast<int>(integer(rs, "attempts", 0));
        d.scheduleIndex = static_cast<int>(integer(rs, "schedule_index", 0));
        d.partsDone = static_cast<int>(integer(rs, "parts_done", 0));
        d.nextAttemptAt = integer(rs, "next_attempt_at", 0);
        d.createdAt = integer(rs, "created_at", 0);
        h.updatedAt = integer(rs, "updated_at", 0);
        h.eventType = text(rs, "type", 0);
        Statement attempts(s);
        attempts << "SELECT " << kAttemptColumns << " FROM attempts WHERE delivery_id = $1 ORDER BY attempt, created_at",
            bind(deliveryId), now;
        RecordSet ars(attempts);
        h.attempts = attemptsFrom(ars);
        return h;
    });
}

RetryResult SqlStore::retryDelivery(const std::string& integrationId, const std::string& deliveryId,
                                    std::int64_t nowMs, int finalScheduleIndex) {
    return transaction(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT status FROM deliveries WHERE id = $1 AND integration_id = $2",
            bind(deliveryId), bind(integrationId), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return RetryResult::NotFound;
        if (text(rs, "status", 0) != "failed") return RetryResult::NotFailed;
        s << "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_index = $2,"
             " lease_owner = '', lease_until = 0, updated_at = $1 WHERE id = $3",
            bind(static_cast<Int64>(nowMs)), bind(finalScheduleIndex), bind(deliveryId), now;
        return RetryResult::Scheduled;
    });
}

// ---- OAuth -----------------------------------------------------------------------------------

void SqlStore::createOAuthState(const OAuthState& state) {
    transaction(Caller::Api, [&](Session& s) {
        s << "INSERT INTO oauth_states (state_hash, account_id, provider, env, created_at, expires_at,"
             " used_at) VALUES ($1,$2,$3,$4,$5,$6,NULL)",
            bind(state.stateHash), bind(state.accountId), bind(state.provider), bind(state.env),
            bind(static_cast<Int64>(state.createdAt)), bind(static_cast<Int64>(state.expiresAt)), now;
        // Expired states are of no use to anyone: keep the table small.
        s << "DELETE FROM oauth_states WHERE expires_at < $1", bind(static_cast<Int64>(state.createdAt - 86400000)),
            now;
    });
}

ConsumedOAuthState SqlStore::consumeOAuthState(const std::string& stateHash, const std::string& provider,
                                               std::int64_t nowMs) {
    return transaction(Caller::Api, [&](Session& s) {
        ConsumedOAuthState out;
        Statement select(s);
        select << "SELECT state_hash, account_id, provider, env, created_at, expires_at, used_at"
                  " FROM oauth_states WHERE state_hash = $1",
            bind(stateHash), now;
        RecordSet rs(select);
        if (rs.rowCount() == 0) return out;
        if (!isNull(rs, "used_at", 0)) {
            out.check = OAuthStateCheck::Reused;
            return out;
        }
        if (text(rs, "provider", 0) != provider) {
            out.check = OAuthStateCheck::OtherProvider;
            return out;
        }
        // Used now, whether or not it is still fresh: a state is never good twice.
        Statement use(s);
        use << "UPDATE oauth_states SET used_at = $1 WHERE state_hash = $2 AND used_at IS NULL",
            bind(static_cast<Int64>(nowMs)), bind(stateHash);
        if (use.execute() == 0) {
            out.check = OAuthStateCheck::Reused;
            return out;
        }
        if (integer(rs, "expires_at", 0) <= nowMs) {
            out.check = OAuthStateCheck::Expired;
            return out;
        }
        out.check = OAuthStateCheck::Valid;
        out.state.stateHash = stateHash;
        out.state.accountId = text(rs, "account_id", 0);
        out.state.provider = provider;
        out.state.env = text(rs, "env", 0);
        out.state.createdAt = integer(rs, "created_at", 0);
        out.state.expiresAt = integer(rs, "expires_at", 0);
        return out;
    });
}

void SqlStore::recordOAuthConnection(const OAuthConnection& c) {
    transaction(Caller::Api, [&](Session& s) {
        s << "INSERT INTO oauth_connections (id, account_id, provider, env, created_at)"
             " VALUES ($1,$2,$3,$4,$5)",
            bind(c.id), bind(c.accountId), bind(c.provider), bind(c.env),
            bind(static_cast<Int64>(c.createdAt)), now;
    });
}

std::vector<OAuthConnection> SqlStore::oauthConnections(const std::string& accountId) {
    return read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id, account_id, provider, env, created_at FROM oauth_connections"
                  " WHERE account_id = $1 ORDER BY created_at, id",
            bind(accountId), now;
        RecordSet rs(select);
        std::vector<OAuthConnection> out;
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            out.push_back({text(rs, "id", row), text(rs, "account_id", row), text(rs, "provider", row),
                           text(rs, "env", row), integer(rs, "created_at", row)});
        }
        return out;
    });
}

}  // namespace smbhub::store
