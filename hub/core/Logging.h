// Log set-up: one line per message on stderr, "2026-11-27T02:14:01.123Z level source: text".
// Nothing logs a secret: callers log ids and file names, never tokens or payloads.
#pragma once

#include <string>

namespace smbhub::core {

void setUpLogging(const std::string& level);

}  // namespace smbhub::core
