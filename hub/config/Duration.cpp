#include "config/Duration.h"

#include <charconv>
#include <cstdint>

namespace smbhub::config {

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
    std::int64_t value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [rest, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || rest == begin || value < 0) return std::nullopt;
    const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
    std::int64_t factor = 0;
    if (unit == "ms") factor = 1;
    else if (unit == "s") factor = 1000;
    else if (unit == "m") factor = 60 * 1000;
    else if (unit == "h") factor = 60 * 60 * 1000;
    else if (unit == "d") factor = 24 * 60 * 60 * 1000;
    else return std::nullopt;
    if (value > INT64_MAX / factor) return std::nullopt;
    return std::chrono::milliseconds(value * factor);
}

}  // namespace smbhub::config
