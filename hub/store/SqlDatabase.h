// The database the stores share, and the one way they run SQL on it: a transaction (write), a
// read, or a write that may share its transaction with others (writeGrouped). Opening it applies
// the schema's migrations.
//
// SQLite: one connection in WAL mode with synchronous=NORMAL, used under a mutex, so writes are
// serialised in-process (SQLite allows one writer anyway) and a commit survives a process crash
// (not a power loss: see docs/architecture.md). PostgreSQL: a pool of connections.
//
// Outages (docs/operations.md): every operation is admitted by the database's DatabaseHealth.
// With PostgreSQL it refuses them at once while the database is known to be unavailable and
// probes it meanwhile; with SQLite a write that fails for lack of space (or an I/O error) marks it
// unavailable, and the next write that succeeds ends that. With PostgreSQL every operation has a
// deadline, `timeout` from its start: the wait for a pooled connection, its (re)opening and every
// statement (a ConnectionWatchdog cuts a connection whose server does not answer in time). A
// connection the server dropped is re-established, and a read or a transaction that failed at
// BEGIN runs again; only when the database cannot be reached (or does not answer) is it reported
// unavailable. Failures reach callers as StoreUnavailable or DatabaseOutage (store/StoreErrors.h).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <Poco/Data/Session.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/RepeatingErrorLog.h"
#include "store/ConnectionPool.h"
#include "store/ConnectionWatchdog.h"
#include "store/DatabaseHealth.h"
#include "store/SqlDialect.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

class PreparedWriters;

class SqlDatabase {
public:
    struct Options {
        const SqlDialect* dialect = &SqlDialect::sqlite();
        std::string connectionString;  // file path, or libpq key=value string
        int poolSize = 16;             // PostgreSQL connections
        std::chrono::milliseconds timeout{5000};  // longest wait for the database (PostgreSQL), SQLite's busy timeout
        DatabaseHealth::Options health;
    };
    // Who asked: API requests refused during an outage are counted for its log lines.
    enum class Caller { Api, Engine };
    using Session = Poco::Data::Session;

    // Opens the database and migrates its schema. Throws StoreUnavailable naming the cause.
    explicit SqlDatabase(const Options& options);
    ~SqlDatabase();
    SqlDatabase(const SqlDatabase&) = delete;
    SqlDatabase& operator=(const SqlDatabase&) = delete;

    const SqlDialect& dialect() const { return *options_.dialect; }
    int schemaVersion() const { return schemaVersion_; }
    DatabaseStatus status() const { return health_->status(); }
    // Connections lent to an operation right now (SQLite: its one connection, 0 or 1).
    int connectionsInUse() const { return connectionsInUse_.load(std::memory_order_relaxed); }

    // `work` inside one transaction; its result (if any) is returned once it has committed.
    template <typename Work>
    auto write(Caller caller, Work&& work) {
        return returning(work, [&](const std::function<void(Session&)>& run) { writeOnce(caller, run); });
    }
    // `work` outside a transaction (it may run again on a new connection if the first was lost).
    template <typename Work>
    auto read(Caller caller, Work&& work) {
        return returning(work, [&](const std::function<void(Session&)>& run) { readOnce(caller, run); });
    }
    // Like write, but on a database with one connection (SQLite) concurrent grouped writes share
    // a transaction: whichever thread gets the connection runs every grouped write queued by
    // then, and one commit makes them all durable (group commit). A failure fails them all.
    template <typename Work>
    auto writeGrouped(Caller caller, Work&& work) {
        return returning(work, [&](const std::function<void(Session&)>& run) { writeGroupedOnce(caller, run); });
    }
    // The hot writers for a session inside write(): the one connection's, kept for the
    // database's life (SQLite), or a set for this transaction (a pooled connection).
    void withWriters(Session& session, const std::function<void(PreparedWriters&)>& work);

private:
    class Lease;
    struct PendingWrite;

    template <typename Work, typename Run>
    static auto returning(Work& work, Run&& run) {
        using Result = std::invoke_result_t<Work&, Session&>;
        if constexpr (std::is_void_v<Result>) {
            run([&](Session& s) { work(s); });
        } else {
            std::optional<Result> out;
            run([&](Session& s) { out.emplace(work(s)); });
            return std::move(*out);
        }
    }

    void writeOnce(Caller caller, const std::function<void(Session&)>& work);
    void readOnce(Caller caller, const std::function<void(Session&)>& work);
    void writeGroupedOnce(Caller caller, const std::function<void(Session&)>& work);
    // Runs `work`, counting an API request refused by an outage and turning a driver's exception
    // into StoreUnavailable.
    void counted(Caller caller, const std::function<void()>& work);

    Options options_;
    std::mutex sqliteMutex_;
    std::unique_ptr<Session> sqliteSession_;
    std::unique_ptr<PreparedWriters> sqliteWriters_;  // prepared on sqliteSession_
    std::mutex groupMutex_;
    std::vector<PendingWrite*> groupQueue_;  // grouped writes waiting for the connection (SQLite)
    std::unique_ptr<DatabaseHealth> health_;
    core::RepeatingErrorLog busyLog_;               // pool exhaustion
    std::unique_ptr<ConnectionWatchdog> watchdog_;  // PostgreSQL
    std::unique_ptr<ConnectionPool> pool_;          // PostgreSQL
    int schemaVersion_ = 0;
    std::atomic<int> connectionsInUse_{0};
};

}  // namespace smbhub::store
