// When a failed attempt is tried again (SPEC §8): the next entry of `delivery.retry_schedule`
// with ± jitter, but never sooner than a receiver's Retry-After (honoured on 429 and 503).
//
// Thread-safety: immutable once built; safe from any thread. parseRetryAfter is a pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace smbhub::delivery {

class RetrySchedule {
public:
    RetrySchedule(std::vector<std::chrono::milliseconds> delays, double jitter);

    // Delay before the next attempt after `used` schedule entries have been spent; nullopt
    // when the schedule is exhausted. `unitRandom` in [0, 1) picks the jitter.
    std::optional<std::chrono::milliseconds> nextDelay(int used, double unitRandom,
                                                       std::optional<std::chrono::milliseconds>
                                                           retryAfter = std::nullopt) const;

    int size() const { return static_cast<int>(delays_.size()); }

private:
    std::vector<std::chrono::milliseconds> delays_;
    double jitter_;
};

// Retry-After as delta-seconds or an HTTP-date; nullopt when absent or unparseable. Capped at
// one day so a hostile receiver cannot park a delivery forever.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::int64_t nowUnixMillis);

}  // namespace smbhub::delivery
