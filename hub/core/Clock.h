// The hub's one clock. Times are stored as Unix milliseconds and shown as ISO 8601 UTC.
//
// Thread-safety: safe from any thread (no state of its own).
#pragma once

#include <cstdint>
#include <string>

namespace smbhub::core {

std::int64_t nowMillis();

// "2026-11-27T02:14:01.123Z"
std::string isoUtc(std::int64_t unixMillis);

}  // namespace smbhub::core
