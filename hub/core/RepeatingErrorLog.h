// Logs an error that repeats in a loop as a state, not once per occurrence: one line when a
// subject starts failing (with the reason), a summary at most once per `summaryInterval` while it
// keeps failing, and one line when it works again. A subject is whatever fails on its own: "the
// database", "plugin zapier", "deliveries to hooks.example.com".
//
// A subject that keeps going up and down (flapping) is logged like that for its first
// `burst` failing episodes within a `summaryInterval`; later episodes in that window get no lines
// of their own but are counted, and reported by the next summary or recovery line that is due. So
// a flapping subject too costs a bounded number of lines per interval.
//
//   <subject> <failing>: <reason>[ (flapping: 40 failed attempts and 12 recoveries since the last report)]
//   <subject> still <failing> after 3m 0s: 36 failed attempts since the last report; <context>; last: <reason>
//   <subject> <failing> again: 40 failed attempts and 12 recoveries since the last report; <context>; last: <reason>
//   <subject> <recovered> after 3m 12s (40 failed attempts; <context>)
//
// `context` is what the caller wants said alongside (e.g. "812 API requests refused"); the
// latest given is used. At most `maxSubjects` are tracked: past that the longest-quiet are
// forgotten, so a stream of distinct subjects cannot grow memory.
//
// Thread-safety: every method may be called from any thread. succeeded() is called on hot paths
// (every delivery): while nothing is failing it costs one atomic load.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace smbhub::core {

class RepeatingErrorLog {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    struct Options {
        Poco::Message::Priority priority = Poco::Message::PRIO_ERROR;  // of the failing lines
        Poco::Message::Priority recoveredPriority = Poco::Message::PRIO_INFORMATION;
        std::string failing = "failing";                                // "<subject> failing: …"
        std::string recovered = "works again";                          // "<subject> works again after …"
        std::chrono::milliseconds summaryInterval{60000};
        std::size_t burst = 3;  // failing episodes logged per summaryInterval
        std::size_t maxSubjects = 1000;
    };

    RepeatingErrorLog(Poco::Logger& logger, Options options, Clock clock = {});

    void failed(const std::string& subject, const std::string& reason, const std::string& context = "");
    void succeeded(const std::string& subject, const std::string& context = "");
    bool failing(const std::string& subject) const;
    // Some subject is failing: callers on hot paths may skip building a subject for succeeded().
    bool anyFailing() const { return failingSubjects_.load(std::memory_order_relaxed) > 0; }

    // "3m 12s", "1h 5m", "850ms": how long something lasted, for log lines.
    static std::string describe(std::chrono::milliseconds duration);

private:
    struct Subject {
        bool failing = false;
        bool episodeLogged = false;  // this failing episode had a line: its recovery gets one too
        std::deque<std::chrono::steady_clock::time_point> loggedEpisodes;  // starts, last interval
        std::chrono::steady_clock::time_point since;     // the episode's start
        std::chrono::steady_clock::time_point lastLine;  // never: no line yet
        bool anyLine = false;
        std::int64_t unreported = 0;  // failures since the last line
        std::int64_t episodeFailures = 0;
        std::int64_t flaps = 0;       // quiet recoveries since the last line
        std::string lastReason;
        std::chrono::steady_clock::time_point touched;
    };

    Subject& subject(const std::string& name, std::chrono::steady_clock::time_point now);
    void line(Poco::Message::Priority priority, const std::string& text);

    Poco::Logger& logger_;
    const Options options_;
    const Clock clock_;
    mutable std::mutex mutex_;
    std::map<std::string, Subject> subjects_;
    std::atomic<int> failingSubjects_{0};
};

}  // namespace smbhub::core
