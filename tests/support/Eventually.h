// Polling with a deadline, for conditions the hub reaches asynchronously (a delivery log that
// shows the final attempt, an integration that became disabled). Header-only.
//
// Thread-safety: a function; `condition` runs on the calling thread.
#pragma once

#include <chrono>
#include <thread>

namespace smbhub::test {

// Calls `condition` until it returns true (then true) or `timeout` passes (then false).
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(50)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

}  // namespace smbhub::test
