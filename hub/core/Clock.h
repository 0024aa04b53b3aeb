// The hub's one clock. Times are stored as Unix milliseconds and shown as ISO 8601 UTC.
//
// Thread-safety: safe from any thread (no state of its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smbhub::core {

std::int64_t nowMillis();

// "2026-11-27T02:14:01.123Z"
std::string isoUtc(std::int64_t unixMillis);

// An ISO 8601 date and time with a zone, as clients send them: "2026-11-27T02:14:01.123Z",
// "2026-11-27T02:14:01Z", "2026-11-27T02:14Z", "2026-11-27T03:14:01+01:00" (seconds and
// fraction optional; fractions past milliseconds are cut). Unix milliseconds, or nullopt for
// anything else, including dates that do not exist and times without a zone.
std::optional<std::int64_t> parseIsoUtc(std::string_view text);

}  // namespace smbhub::core
