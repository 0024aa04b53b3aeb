// Secrets the operator left empty (auth.admin_token, auth.session_secret, secrets.key) are
// generated on first start and kept in a file readable only by its owner, beside the SQLite
// database (SPEC §3), so the shipped config runs as it is and restarts keep the same secrets.
// The log names the file, never a value.
//
// Thread-safety: used once, at start-up on the main thread, before any other thread runs (it writes
// the secrets file).
#pragma once

#include <string>

#include "config/HubConfig.h"

namespace smbhub::config {

// Fills the empty secrets of `config`; returns the file used, or "" when none was needed.
std::string fillGeneratedSecrets(HubConfig& config);

// The folder the secrets file lives in for `config`.
std::string generatedSecretsFile(const HubConfig& config);

// secrets.key decoded; throws ConfigError("secrets.key", …) unless it is base64 of 32 bytes.
std::string decodeSecretsKey(const std::string& base64Key);

}  // namespace smbhub::config
