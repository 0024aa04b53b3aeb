#include "delivery/RetrySchedule.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace smbhub::delivery {

namespace {
constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(24);
}

RetrySchedule::RetrySchedule(std::vector<std::chrono::milliseconds> delays, double jitter)
    : delays_(std::move(delays)), jitter_(std::clamp(jitter, 0.0, 1.0)) {}

std::optional<std::chrono::milliseconds> RetrySchedule::nextDelay(
    int used, double unitRandom, std::optional<std::chrono::milliseconds> retryAfter) const {
    if (used < 0 || used >= size()) return std::nullopt;
    const double base = static_cast<double>(delays_[static_cast<std::size_t>(used)].count());
    const double factor = 1.0 + jitter_ * (2.0 * unitRandom - 1.0);
    auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(base * factor));
    if (retryAfter) delay = std::max(delay, *retryAfter);
    return delay;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::int64_t nowUnixMillis) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size()) {
        if (seconds < 0) return std::nullopt;
        return std::min<std::chrono::milliseconds>(std::chrono::seconds(std::min<std::int64_t>(seconds, 86400)),
                                                   kMaxRetryAfter);
    }
    // IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"); Poco's parser alone is too lenient.
    if (value.size() != 29 || value[3] != ',' || value.substr(25) != " GMT") return std::nullopt;
    Poco::DateTime date;
    int tz = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, std::string(value), date,
                                        tz)) {
        return std::nullopt;
    }
    const std::int64_t at = date.timestamp().epochMicroseconds() / 1000 - tz * 1000;
    const std::int64_t delta = std::max<std::int64_t>(0, at - nowUnixMillis);
    return std::min<std::chrono::milliseconds>(std::chrono::milliseconds(delta), kMaxRetryAfter);
}

}  // namespace smbhub::delivery
