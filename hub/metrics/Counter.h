// A Prometheus counter: a number that only goes up, added to from any thread without a lock.
//
// Each counter sits on its own cache line, so that counters bumped by different threads (the
// API's workers, the delivery engine's I/O threads) do not slow each other down by sharing one.
//
// Thread-safety: add() and value() from any thread (relaxed atomics: a scrape sees each counter
// as it was at some moment, not all of them at the same moment — which Prometheus expects).
#pragma once

#include <atomic>
#include <cstdint>

namespace smbhub::metrics {

class alignas(64) Counter {
public:
    void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

}  // namespace smbhub::metrics
