#include "store/SqlDatabase.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>

#include <sqlite3.h>

#include <exception>

#include "store/Migrations.h"
#include "store/PostgresConnect.h"
#include "store/PreparedWriters.h"

using namespace Poco::Data::Keywords;

namespace smbhub::store {
namespace {

using Session = Poco::Data::Session;

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

std::int64_t sqliteChanges(Session& s) { return sqlite3_total_changes(Poco::Data::SQLite::Utility::dbHandle(s)); }

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
class SqlDatabase::Lease {
public:
    using Clock = std::chrono::steady_clock;

    explicit Lease(SqlDatabase& db) : db_(db), outagesWhenBegun_(db.health_->outagesSoFar()) {
        if (db.sqliteSession_) {
            lock_ = std::unique_lock(db.sqliteMutex_);
            session_ = db.sqliteSession_.get();
            changesBefore_ = sqliteChanges(*session_);
            return;
        }
        db.health_->admit();
        deadline_ = Clock::now() + db.options_.timeout;
        try {
            pooled_ = db.pool_->borrow(deadline_);
        } catch (const ConnectionFailed& e) {
            throw outage(e);
        } catch (const PoolExhausted& e) {
            db.busyLog_.failed("database connections", e.what());
            throw DatabaseOutage(std::string("database: ") + e.what());
        }
        db.busyLog_.succeeded("database connections");
        session_ = &pooled_->session();
        watch();
    }
    // Migrations wait for another process's (an advisory lock) as long as it takes: no deadline
    // on statements, only on opening the connection.
    struct Unwatched {};
    Lease(SqlDatabase& db, Unwatched) : db_(db), outagesWhenBegun_(db.health_->outagesSoFar()) {
        try {
            pooled_ = db.pool_->borrow(Clock::now() + db.options_.timeout);
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
        if (!db_.sqliteSession_ || sqliteChanges(*session_) != changesBefore_) {
            db_.health_->succeeded(outagesWhenBegun_);
        }
    }

    // After an operation failed with `e`: returns when it may run again — its pooled connection
    // had been dropped by the server and is back, and `mayRetry` (it changed nothing) — and
    // otherwise throws what the caller should see: DatabaseOutage when the database itself is
    // unavailable (reported to the health check), StoreUnavailable when it was this operation.
    // `committing`: the failure came from COMMIT; if the connection was lost or cut then, the
    // server may have committed all the same (see StoreUnavailable::outcomeUnknown).
    void recover(const Poco::Exception& e, bool mayRetry, bool committing = false) {
        if (db_.sqliteSession_) {
            if (!sqliteOutage(e)) throw unavailable(e);
            const std::string reason = oneLine(e.displayText());
            db_.health_->failed(reason, true);
            throw DatabaseOutage("database: " + reason);
        }
        if (watch_ && watch_->expired()) {
            const std::string reason = "no answer within " + core::RepeatingErrorLog::describe(db_.options_.timeout);
            db_.health_->failed(reason, true);
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
        db_.health_->failed(e.what(), e.reachedServer());
        return DatabaseOutage(std::string("database: ") + e.what(), outcomeUnknown);
    }
    void watch() { watch_ = db_.watchdog_->watch(pooled_->connection().watchSocket(), deadline_); }

    SqlDatabase& db_;
    std::unique_lock<std::mutex> lock_;
    std::unique_ptr<ConnectionPool::Borrowed> pooled_;
    std::unique_ptr<ConnectionWatchdog::Watch> watch_;
    Clock::time_point deadline_{};
    Session* session_ = nullptr;
    std::int64_t changesBefore_ = 0;
    const std::uint64_t outagesWhenBegun_;
};

// A grouped write waiting for whichever thread holds the connection (group commit).
struct SqlDatabase::PendingWrite {
    const std::function<void(Session&)>* work = nullptr;
    std::exception_ptr error;
    bool done = false;
};

SqlDatabase::SqlDatabase(const Options& options)
    : options_(options), busyLog_(Poco::Logger::get("database"), busyLogOptions(options.health.summaryInterval)) {
    try {
        if (options.dialect->kind() == SqlDialect::Kind::Sqlite) {
            health_ = std::make_unique<DatabaseHealth>(options.health, nullptr, Poco::Logger::get("database"));
            Poco::Data::SQLite::Connector::registerConnector();
            sqliteSession_ = std::make_unique<Session>("SQLite", options.connectionString);
            *sqliteSession_ << "PRAGMA journal_mode=WAL", now;
            *sqliteSession_ << "PRAGMA synchronous=NORMAL", now;
            *sqliteSession_ << "PRAGMA busy_timeout=" + std::to_string(options.timeout.count()), now;
            *sqliteSession_ << "PRAGMA foreign_keys=ON", now;
            schemaVersion_ = migrateSchema(*sqliteSession_, *options.dialect);
        } else {
            const std::string conninfo = options.connectionString;
            const auto timeout = options.timeout;
            health_ = std::make_unique<DatabaseHealth>(
                options.health,
                [conninfo, timeout] { return tryConnect(conninfo, std::chrono::steady_clock::now() + timeout); },
                Poco::Logger::get("database"));
            Poco::Data::PostgreSQL::Connector::registerConnector();
            watchdog_ = std::make_unique<ConnectionWatchdog>();
            pool_ = std::make_unique<ConnectionPool>(conninfo, std::max(1, options.poolSize), watchdog_.get());
            Lease lease(*this, Lease::Unwatched{});
            schemaVersion_ = migrateSchema(lease.get(), *options.dialect);
        }
    } catch (const Poco::Exception& e) {
        throw StoreUnavailable(std::string("cannot open the database (") + unavailable(e).what() + ")");
    } catch (const StoreUnavailable& e) {
        throw StoreUnavailable(std::string("cannot open the database (") + e.what() + ")");
    }
}

SqlDatabase::~SqlDatabase() = default;

void SqlDatabase::counted(Caller caller, const std::function<void()>& work) {
    try {
        work();
    } catch (const DatabaseOutage&) {
        if (caller == Caller::Api) health_->refused();
        throw;
    } catch (const StoreUnavailable&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw unavailable(e);
    }
}

void SqlDatabase::writeOnce(Caller caller, const std::function<void(Session&)>& work) {
    counted(caller, [&] {
        Lease lease(*this);
        for (int tries = 0;; ++tries) {
            Session& s = lease.get();
            bool begun = false;
            bool committing = false;
            try {
                s.begin();
                begun = true;
                work(s);
                committing = true;
                s.commit();
                lease.succeeded();
                return;
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

void SqlDatabase::readOnce(Caller caller, const std::function<void(Session&)>& work) {
    counted(caller, [&] {
        Lease lease(*this);
        for (int tries = 0;; ++tries) {
            try {
                work(lease.get());
                lease.succeeded();
                return;
            } catch (const Poco::Exception& e) {
                lease.recover(e, tries == 0);  // a read is safe to run again
            }
        }
    });
}

void SqlDatabase::writeGroupedOnce(Caller caller, const std::function<void(Session&)>& work) {
    if (!sqliteSession_) return writeOnce(caller, work);
    // One connection, one writer: rather than one transaction per write, the thread that gets the
    // connection runs every grouped write queued by then in one transaction, and the others find
    // theirs done. Waiters are blocked on the connection lock, so no other signal is needed.
    counted(caller, [&] {
        PendingWrite mine;
        mine.work = &work;
        {
            std::lock_guard queue(groupMutex_);
            groupQueue_.push_back(&mine);
        }
        {
            Lease lease(*this);
            std::vector<PendingWrite*> group;
            {
                std::lock_guard queue(groupMutex_);
                if (!mine.done) group.swap(groupQueue_);
            }
            if (!group.empty()) {
                Session& s = lease.get();
                std::exception_ptr failure;
                try {
                    s.begin();
                    for (PendingWrite* p : group) (*p->work)(s);
                    s.commit();
                    lease.succeeded();
                } catch (const Poco::Exception& e) {
                    rollbackQuietly(s);
                    try {
                        lease.recover(e, false);  // throws what every write of the group gets
                    } catch (...) {
                        failure = std::current_exception();
                    }
                } catch (...) {
                    rollbackQuietly(s);
                    failure = std::current_exception();
                }
                std::lock_guard queue(groupMutex_);
                for (PendingWrite* p : group) {
                    if (failure) p->error = failure;
                    p->done = true;
                }
            }
        }
        if (mine.error) std::rethrow_exception(mine.error);
    });
}

void SqlDatabase::withWriters(Session& s, const std::function<void(PreparedWriters&)>& work) {
    // SQLite: one connection, so its prepared statements are kept for the database's life.
    // A pooled connection gets its own set for the transaction at hand.
    if (sqliteSession_) {
        if (!sqliteWriters_) sqliteWriters_ = std::make_unique<PreparedWriters>(*sqliteSession_, dialect());
        work(*sqliteWriters_);
    } else {
        PreparedWriters writers(s, dialect());
        work(writers);
    }
}

}  // namespace smbhub::store
