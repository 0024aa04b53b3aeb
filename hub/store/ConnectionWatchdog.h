// A deadline for blocking database calls. Poco::Data and libpq wait on their socket without a
// limit, and a server that hangs (SIGSTOPped, a stuck disk, a frozen VM) still has its kernel
// acknowledge every TCP packet, so neither keepalives nor tcp_user_timeout ever fire: a call
// would wait forever. While a call runs, its connection's socket is watched; when the deadline
// passes first, the watchdog shuts the socket down (shutdown(2)), the blocked call returns at
// once with an error, and libpq marks the connection broken (the pool brings it back later).
//
// The watched descriptor is a dup() the caller owns and keeps open until the watch has ended, so
// the watchdog can never shut down an unrelated socket that reused a closed descriptor number
// (libpq closes its own descriptor when it drops a connection). shutdown(2) acts on the socket
// itself, whichever descriptor names it.
//
// Thread-safety: watch() from any thread; a Watch belongs to the thread that asked for it.
// One thread of its own, waiting for the earliest deadline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace smbhub::store {

class ConnectionWatchdog {
public:
    using Clock = std::chrono::steady_clock;

    ConnectionWatchdog();
    ~ConnectionWatchdog();
    ConnectionWatchdog(const ConnectionWatchdog&) = delete;
    ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

    // While it lives, `socket` is shut down if `deadline` passes.
    class Watch {
    public:
        ~Watch();
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;
        // The deadline passed and the socket was shut down.
        bool expired() const;

    private:
        friend class ConnectionWatchdog;
        Watch(ConnectionWatchdog& dog, int socket, Clock::time_point deadline);
        ConnectionWatchdog& dog_;
        const int socket_;
        std::multimap<Clock::time_point, Watch*>::iterator entry_;
        bool expired_ = false;  // guarded by dog_.mutex_
    };

    std::unique_ptr<Watch> watch(int socket, Clock::time_point deadline);

private:
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<Clock::time_point, Watch*> watches_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace smbhub::store
