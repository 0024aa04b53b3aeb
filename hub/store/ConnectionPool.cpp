#include "store/ConnectionPool.h"

#include <Poco/Data/DataException.h>

namespace smbhub::store {

ConnectionPool::ConnectionPool(std::string connector, std::string connectionString, int size,
                               std::chrono::milliseconds wait)
    : connector_(std::move(connector)), connectionString_(std::move(connectionString)), size_(size), wait_(wait) {}

ConnectionPool::Borrowed::~Borrowed() { pool_->giveBack(std::move(session_)); }

std::unique_ptr<ConnectionPool::Borrowed> ConnectionPool::borrow() {
    {
        std::unique_lock lock(mutex_);
        if (!returned_.wait_for(lock, wait_, [this] { return !idle_.empty() || open_ < size_; })) {
            throw Poco::Data::SessionPoolExhaustedException("all " + std::to_string(size_) +
                                                            " database connections stayed busy for " +
                                                            std::to_string(wait_.count()) + " ms");
        }
        if (!idle_.empty()) {
            auto session = std::move(idle_.back());
            idle_.pop_back();
            return std::make_unique<Borrowed>(*this, std::move(session));
        }
        ++open_;  // this thread opens one, outside the lock
    }
    try {
        return std::make_unique<Borrowed>(*this, std::make_unique<Poco::Data::Session>(connector_, connectionString_));
    } catch (...) {
        std::lock_guard lock(mutex_);
        --open_;
        returned_.notify_one();
        throw;
    }
}

void ConnectionPool::giveBack(std::unique_ptr<Poco::Data::Session> session) {
    bool usable = false;
    try {
        if (session->isTransaction()) session->rollback();
        usable = session->isConnected();
    } catch (...) {
        // Not worth keeping: a new one is opened when needed.
    }
    std::lock_guard lock(mutex_);
    if (usable) {
        idle_.push_back(std::move(session));
    } else {
        --open_;
    }
    returned_.notify_one();
}

}  // namespace smbhub::store
