#include "store/ConnectionWatchdog.h"

#include <sys/socket.h>

namespace smbhub::store {

ConnectionWatchdog::ConnectionWatchdog() : thread_([this] { run(); }) {}

ConnectionWatchdog::~ConnectionWatchdog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

ConnectionWatchdog::Watch::Watch(ConnectionWatchdog& dog, int socket, Clock::time_point deadline)
    : dog_(dog), socket_(socket) {
    std::lock_guard lock(dog_.mutex_);
    entry_ = dog_.watches_.emplace(deadline, this);
    if (entry_ == dog_.watches_.begin()) dog_.changed_.notify_one();  // a new earliest deadline
}

ConnectionWatchdog::Watch::~Watch() {
    std::lock_guard lock(dog_.mutex_);
    if (!expired_) dog_.watches_.erase(entry_);
}

bool ConnectionWatchdog::Watch::expired() const {
    std::lock_guard lock(dog_.mutex_);
    return expired_;
}

std::unique_ptr<ConnectionWatchdog::Watch> ConnectionWatchdog::watch(int socket, Clock::time_point deadline) {
    return std::unique_ptr<Watch>(new Watch(*this, socket, deadline));
}

void ConnectionWatchdog::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (watches_.empty()) {
            changed_.wait(lock);
            continue;
        }
        const auto earliest = watches_.begin()->first;
        if (Clock::now() < earliest) {
            changed_.wait_until(lock, earliest);
            continue;
        }
        Watch* due = watches_.begin()->second;
        watches_.erase(watches_.begin());
        due->expired_ = true;
        // Under the lock: the Watch, and with it the descriptor, cannot go away meanwhile.
        ::shutdown(due->socket_, SHUT_RDWR);
    }
}

}  // namespace smbhub::store
