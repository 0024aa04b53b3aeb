// One PostgreSQL connection of the pool: a Poco::Data session that can always be brought back
// after the server dropped it, without leaking and without waiting past a deadline.
//
// Poco::Data::PostgreSQL 1.11 frees a connection only while it is up (SessionHandle::disconnect
// checks CONNECTION_OK): a failed opening, a failed Session::reconnect() and the destruction of a
// session whose server went away each lose the PGconn (~35 KB). So:
// - a session is opened (by Poco, blocking; its connect_timeout set to the time left, at least
//   libpq's 2 s) only right after a non-blocking libpq attempt of the hub's own succeeded
//   (store/PostgresConnect): when the server is away, that attempt fails and is freed, and Poco
//   is never asked;
// - a session whose connection broke is kept and re-established in place (PQresetStart on its
//   own PGconn), never reopened through Poco;
// - a re-established session is checked with an empty transaction (under the watchdog, by the
//   same deadline): a connection that broke in
//   the middle of a transaction leaves Poco believing it is still in one, with prepared
//   statements to deallocate that no longer exist, and every later COMMIT would fail after
//   committing. Such a session is retired — destroyed while its connection is up, so Poco frees
//   it — and a fresh one opened;
// - a session still broken when this object goes (the process stops while the server is away)
//   is parked, reachable, rather than destroyed (which would leak it anyway).
// What is left: Poco's own opening can still fail (and leak one PGconn), or wait up to 2 s past
// the deadline, if the server goes away or hangs in the moment between the hub's successful
// attempt and Poco's.
//
// Not thread-safe: used by one borrower at a time (ConnectionPool hands it out).
#pragma once

#include <Poco/Data/Session.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

struct pg_conn;

namespace smbhub::store {

class ConnectionWatchdog;

// The connection could not be opened or re-established.
class ConnectionFailed : public std::runtime_error {
public:
    ConnectionFailed(const std::string& reason, bool reachedServer)
        : std::runtime_error(reason), reachedServer_(reachedServer) {}
    // See ConnectOutcome::reachedServer.
    bool reachedServer() const { return reachedServer_; }

private:
    bool reachedServer_;
};

class PostgresConnection {
public:
    // `conninfo`: libpq key=value string. `watchdog` (may be null: no deadline on the check of a
    // re-established connection) must outlive this.
    PostgresConnection(std::string conninfo, ConnectionWatchdog* watchdog);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    // Makes the connection usable: nothing to do when it is up (as far as libpq knows: a
    // connection the server dropped is only found out when used), opens it the first time,
    // re-establishes it after it broke. Throws ConnectionFailed.
    void open(std::chrono::steady_clock::time_point deadline);
    // Opened, and libpq has not seen it break.
    bool usable() const;

    // Only while usable() (after open()).
    Poco::Data::Session& session() { return *session_; }
    // A descriptor for the connection's socket, kept open until the connection is re-established
    // or retired (see ConnectionWatchdog); -1 before the first open().
    int watchSocket() const { return watchSocket_; }

private:
    void openFresh(std::chrono::steady_clock::time_point deadline, bool serverJustAnswered);
    bool clean(std::chrono::steady_clock::time_point deadline);
    void retire();
    void watchCurrentSocket();

    const std::string conninfo_;
    ConnectionWatchdog* const watchdog_;
    std::unique_ptr<Poco::Data::Session> session_;
    pg_conn* handle_ = nullptr;  // the session's PGconn, owned by Poco
    int watchSocket_ = -1;
};

}  // namespace smbhub::store
