// ${VAR} and ${VAR:-default} in config values, expanded from the process environment.
//
// Thread-safety: expandEnv is pure; processEnv reads the environment, so it is used only while the
// configuration is loaded at start-up, before any other thread runs.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace smbhub::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Returns the expanded text; throws std::invalid_argument on an unterminated "${".
// An unset variable without a default expands to "".
std::string expandEnv(const std::string& text, const EnvLookup& lookup);

// Looks variables up in the real environment.
std::optional<std::string> processEnv(const std::string& name);

}  // namespace smbhub::config
