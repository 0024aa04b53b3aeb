#include "metrics/Histogram.h"

#include <algorithm>
#include <cmath>

namespace smbhub::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    std::sort(bounds_.begin(), bounds_.end());
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double seconds) noexcept {
    if (!(seconds >= 0)) seconds = 0;  // also NaN: a clock that stepped back counts as 0
    // The first bound the value does not exceed (le is "less than or equal").
    const std::size_t i = static_cast<std::size_t>(
        std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e6)), std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
    HistogramSnapshot s;
    s.bounds = bounds_;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
    }
    s.count = running;
    s.sumSeconds = static_cast<double>(sumMicros_.load(std::memory_order_relaxed)) / 1e6;
    return s;
}

const std::vector<double>& Histogram::requestBounds() {
    static const std::vector<double> bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,   0.25,   0.5,   1,    2.5,   5,    10};
    return bounds;
}

const std::vector<double>& Histogram::deliveryLatencyBounds() {
    static const std::vector<double> bounds = {0.01, 0.025, 0.05, 0.1,  0.25, 0.5,   1,     2.5,  5,
                                               10,   30,    60,   300,  900,  1800,  3600,  10800, 21600};
    return bounds;
}

}  // namespace smbhub::metrics
