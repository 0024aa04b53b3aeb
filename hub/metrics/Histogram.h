// A Prometheus histogram of durations in seconds, with fixed bucket bounds, observed from any
// thread without a lock: each observation is two relaxed atomic additions (its bucket and the
// sum, kept in microseconds so that it can be an integer).
//
// A snapshot's buckets are cumulative (le="…" counts every observation up to that bound) and its
// count is the +Inf bucket, so a scrape is always self-consistent even while observations land.
//
// Thread-safety: observe() and snapshot() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace smbhub::metrics {

struct HistogramSnapshot {
    std::vector<double> bounds;                // upper bounds, ascending (the +Inf bucket is implied)
    std::vector<std::uint64_t> cumulative;     // per bound, then +Inf: bounds.size() + 1 entries
    double sumSeconds = 0;
    std::uint64_t count = 0;                   // == cumulative.back()
};

class Histogram {
public:
    // `bounds` ascending, in seconds.
    explicit Histogram(std::vector<double> bounds);

    void observe(double seconds) noexcept;
    HistogramSnapshot snapshot() const;

    // Bounds for request durations (1 ms … 10 s) and for publish → success (10 ms … 6 h: a
    // delivery may succeed after hours of retries).
    static const std::vector<double>& requestBounds();
    static const std::vector<double>& deliveryLatencyBounds();

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
    std::atomic<std::uint64_t> sumMicros_{0};
};

}  // namespace smbhub::metrics
