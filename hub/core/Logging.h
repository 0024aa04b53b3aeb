// Log set-up: one line per message on stderr, in one of two formats (`log.format`):
//   text  "2026-11-27T02:14:01.123Z Information hub: listening on http://127.0.0.1:8080"
//   json  {"time":"2026-11-27T02:14:01.123Z","level":"information","logger":"hub",
//          "message":"listening on http://127.0.0.1:8080"}
// A JSON line also carries the fields of a structured message (core/LogFields.h) as members of
// its own, so a log pipeline can filter on `deliveryId` without parsing sentences.
// Nothing logs a secret: callers log ids and file names, never tokens or payloads.
//
// Thread-safety: set up once, at start-up on the main thread, before other threads log; logging
// itself is thread-safe (Poco's console channel writes each line under a lock).
#pragma once

#include <string>

namespace smbhub::core {

enum class LogFormat { Text, Json };

// Throws std::invalid_argument for anything but "text" or "json".
LogFormat parseLogFormat(const std::string& name);

void setUpLogging(const std::string& level, LogFormat format = LogFormat::Text);

}  // namespace smbhub::core
