// The sender's idle keep-alive connections, per destination (Destination::poolKey), newest
// last; not to be confused with store/ConnectionPool, the database's connections.
//
// Idle connections are trimmed to `maxIdlePerKey` by the periodic sweep rather than on return:
// completions arrive in bursts (one epoll wake-up finishes many exchanges before their follow-up
// requests start), and closing the surplus at once would cost a TLS handshake for each of those
// follow-ups. A connection idle for 30 s is closed: most servers drop theirs sooner, and the
// sender should not hold sockets forever for hosts that are no longer called.
//
// Thread-safety: every method may be called from any thread (one mutex); a connection taken
// belongs to its taker alone. Connections are closed (destroyed) outside the lock.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "delivery/outbound/Connection.h"

namespace smbhub::delivery::outbound {

class IdleConnections {
public:
    explicit IdleConnections(std::size_t maxIdlePerKey) : maxIdlePerKey_(maxIdlePerKey) {}

    // The newest idle connection that still looks usable, or null; stale ones met on the way
    // are dropped.
    std::shared_ptr<Connection> take(const std::string& key);

    void give(const std::string& key, std::shared_ptr<Connection> connection);

    // Closes connections idle for too long and the oldest beyond maxIdlePerKey.
    void sweep();

    void clear();

private:
    std::shared_ptr<Connection> pop(const std::string& key);

    const std::size_t maxIdlePerKey_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::shared_ptr<Connection>>> idle_;
};

}  // namespace smbhub::delivery::outbound
