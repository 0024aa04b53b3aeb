// A fixed-size pool of PostgreSQL connections (several per process). Connections are opened on
// first need, handed to one borrower at a time, and waited for when all are lent — never past the
// borrower's deadline.
//
// Poco's SessionPool is not used: a pooled Poco session cannot be re-established in place, and a
// connection the server dropped (a restart, a failover) looks connected until it is used. Here
// each place holds a PostgresConnection, which the borrower re-establishes (or opens) before use,
// without leaking on failure (see PostgresConnection); a connection that broke while lent goes
// back to the pool as it is and is brought back by its next borrower.
//
// Thread-safety: borrow() from any thread; a Borrowed belongs to the thread that borrowed it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/PostgresConnection.h"

namespace smbhub::store {

// Every connection stayed lent until the borrower's deadline.
class PoolExhausted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ConnectionPool {
public:
    using Clock = std::chrono::steady_clock;

    // `watchdog` (may be null) bounds the checks of re-established connections; it must outlive
    // the pool.
    ConnectionPool(std::string conninfo, int size, ConnectionWatchdog* watchdog = nullptr);

    // One connection, returned to the pool when this goes.
    class Borrowed {
    public:
        Borrowed(ConnectionPool& pool, std::unique_ptr<PostgresConnection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        ~Borrowed();
        Borrowed(const Borrowed&) = delete;
        Borrowed& operator=(const Borrowed&) = delete;
        PostgresConnection& connection() { return *connection_; }
        Poco::Data::Session& session() { return connection_->session(); }

    private:
        ConnectionPool* pool_;
        std::unique_ptr<PostgresConnection> connection_;
    };

    // Waits until `deadline` for a free connection (preferring one that is open), and opens or
    // re-establishes it by then. Throws PoolExhausted or ConnectionFailed.
    std::unique_ptr<Borrowed> borrow(Clock::time_point deadline);
    int size() const { return size_; }

private:
    void giveBack(std::unique_ptr<PostgresConnection> connection);

    const int size_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<PostgresConnection>> idle_;  // all of them, at first unopened
};

}  // namespace smbhub::store
