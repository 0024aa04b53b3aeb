// Log set-up: one line per message on stderr, "2026-11-27T02:14:01.123Z level source: text".
// Nothing logs a secret: callers log ids and file names, never tokens or payloads.
//
// Thread-safety: setUpLogging once, at start-up on the main thread, before any other thread logs;
// the loggers it sets up are thread-safe.
#pragma once

#include <string>

namespace smbhub::core {

void setUpLogging(const std::string& level);

}  // namespace smbhub::core
