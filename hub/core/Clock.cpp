#include "core/Clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>

namespace smbhub::core {

std::int64_t nowMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string isoUtc(std::int64_t unixMillis) {
    const std::time_t seconds = static_cast<std::time_t>(unixMillis / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(unixMillis % 1000));
    return buffer;
}

std::optional<std::int64_t> parseIsoUtc(std::string_view text) {
    static const std::regex shape(
        R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, shape)) return std::nullopt;
    const auto number = [&](int group) { return m[group].matched ? std::stoi(m[group].str()) : 0; };
    std::tm tm{};
    tm.tm_year = number(1) - 1900;
    tm.tm_mon = number(2) - 1;
    tm.tm_mday = number(3);
    tm.tm_hour = number(4);
    tm.tm_min = number(5);
    tm.tm_sec = number(6);
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) {
        return std::nullopt;
    }
    const std::tm given = tm;
    const std::time_t seconds = timegm(&tm);
    // timegm normalises 31 April to 1 May: a date that moved did not exist.
    if (tm.tm_mday != given.tm_mday || tm.tm_mon != given.tm_mon || tm.tm_year != given.tm_year) return std::nullopt;
    std::int64_t millis = static_cast<std::int64_t>(seconds) * 1000;
    if (m[7].matched) millis += std::stoi((m[7].str() + "00").substr(0, 3));
    if (m[9].matched) {
        const int offsetHours = number(10);
        const int offsetMinutes = number(11);
        if (offsetHours > 23 || offsetMinutes > 59) return std::nullopt;
        const std::int64_t offset = (offsetHours * 60LL + offsetMinutes) * 60 * 1000;
        millis += m[9].str() == "+" ? -offset : offset;
    }
    return millis;
}

}  // namespace smbhub::core
