// Durations written by people in the config: "250ms", "5s", "2m", "1h", "1d".
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace smbhub::config {

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text);

}  // namespace smbhub::config
