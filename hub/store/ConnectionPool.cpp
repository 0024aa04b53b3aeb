#include "store/ConnectionPool.h"

#include "core/RepeatingErrorLog.h"

namespace smbhub::store {

ConnectionPool::ConnectionPool(std::string conninfo, int size, ConnectionWatchdog* watchdog) : size_(size) {
    for (int i = 0; i < size; ++i) idle_.push_back(std::make_unique<PostgresConnection>(conninfo, watchdog));
}

ConnectionPool::Borrowed::~Borrowed() { pool_->giveBack(std::move(connection_)); }

std::unique_ptr<ConnectionPool::Borrowed> ConnectionPool::borrow(Clock::time_point deadline) {
    std::unique_ptr<PostgresConnection> connection;
    {
        const auto waitStarted = Clock::now();
        std::unique_lock lock(mutex_);
        if (!returned_.wait_until(lock, deadline, [this] { return !idle_.empty(); })) {
            throw PoolExhausted("all " + std::to_string(size_) + " database connections stayed busy for " +
                                core::RepeatingErrorLog::describe(
                                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - waitStarted)));
        }
        // The most recently returned open one: warm, and most likely still alive.
        auto pick = idle_.end() - 1;
        for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
            if ((*it)->usable()) {
                pick = std::next(it).base();
                break;
            }
        }
        connection = std::move(*pick);
        idle_.erase(pick);
    }
    try {
        connection->open(deadline);
    } catch (...) {
        giveBack(std::move(connection));
        throw;
    }
    return std::make_unique<Borrowed>(*this, std::move(connection));
}

void ConnectionPool::giveBack(std::unique_ptr<PostgresConnection> connection) {
    if (connection->usable()) {
        try {
            Poco::Data::Session& session = connection->session();
            if (session.isTransaction()) session.rollback();
        } catch (...) {
            // It broke: the next borrower re-establishes it.
        }
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    returned_.notify_one();
}

}  // namespace smbhub::store
