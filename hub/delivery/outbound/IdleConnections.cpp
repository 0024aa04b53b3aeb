#include "delivery/outbound/IdleConnections.h"

#include <algorithm>
#include <chrono>
#include <iterator>

namespace smbhub::delivery::outbound {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kIdleLifetime = std::chrono::seconds(30);

}  // namespace

std::shared_ptr<Connection> IdleConnections::take(const std::string& key) {
    while (auto connection = pop(key)) {
        if (Clock::now() - connection->idleSince < kIdleLifetime && connection->looksAlive()) {
            return connection;
        }
    }
    return nullptr;
}

void IdleConnections::give(const std::string& key, std::shared_ptr<Connection> connection) {
    connection->idleSince = Clock::now();
    std::lock_guard lock(mutex_);
    idle_[key].push_back(std::move(connection));
}

void IdleConnections::sweep() {
    std::vector<std::shared_ptr<Connection>> closing;  // destroyed outside the lock
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    for (auto it = idle_.begin(); it != idle_.end();) {
        auto& list = it->second;  // oldest first
        auto keepFrom = std::find_if(list.begin(), list.end(), [&](const auto& connection) {
            return now - connection->idleSince < kIdleLifetime;
        });
        const auto remaining = static_cast<std::size_t>(std::distance(keepFrom, list.end()));
        if (remaining > maxIdlePerKey_) {
            keepFrom += static_cast<std::ptrdiff_t>(remaining - maxIdlePerKey_);
        }
        std::move(list.begin(), keepFrom, std::back_inserter(closing));
        list.erase(list.begin(), keepFrom);
        it = list.empty() ? idle_.erase(it) : std::next(it);
    }
}

void IdleConnections::clear() {
    std::lock_guard lock(mutex_);
    idle_.clear();
}

std::shared_ptr<Connection> IdleConnections::pop(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    auto connection = std::move(it->second.back());
    it->second.pop_back();
    return connection;
}

}  // namespace smbhub::delivery::outbound
