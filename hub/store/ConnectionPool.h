// A fixed-size pool of database connections (PostgreSQL: several per process). Connections are
// opened on first need, handed to one borrower at a time, and waited for when all are lent.
//
// Poco's SessionPool is not used: a pooled Poco session cannot be reconnected in place, and a
// connection the server dropped (a restart, a failover) looks connected until it is used. Here a
// borrower may reconnect the session it holds, so the store can replace a dead connection and
// carry on (see SqlStore::Lease).
#pragma once

#include <Poco/Data/Session.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace smbhub::store {

class ConnectionPool {
public:
    ConnectionPool(std::string connector, std::string connectionString, int size, std::chrono::milliseconds wait);

    // One connection, returned to the pool when this goes.
    class Borrowed {
    public:
        Borrowed(ConnectionPool& pool, std::unique_ptr<Poco::Data::Session> session)
            : pool_(&pool), session_(std::move(session)) {}
        ~Borrowed();
        Borrowed(const Borrowed&) = delete;
        Borrowed& operator=(const Borrowed&) = delete;
        Poco::Data::Session& session() { return *session_; }

    private:
        ConnectionPool* pool_;
        std::unique_ptr<Poco::Data::Session> session_;
    };

    // Waits up to `wait` for a free connection, opening a new one while fewer than `size` exist.
    // Throws Poco::Exception (connection refused, pool exhausted).
    std::unique_ptr<Borrowed> borrow();

private:
    void giveBack(std::unique_ptr<Poco::Data::Session> session);

    const std::string connector_;
    const std::string connectionString_;
    const int size_;
    const std::chrono::milliseconds wait_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Poco::Data::Session>> idle_;
    int open_ = 0;  // idle, lent, or being opened
};

}  // namespace smbhub::store
