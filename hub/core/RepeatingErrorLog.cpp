#include "core/RepeatingErrorLog.h"

#include <algorithm>

namespace smbhub::core {

using std::chrono::steady_clock;

RepeatingErrorLog::RepeatingErrorLog(Poco::Logger& logger, Options options, Clock clock)
    : logger_(logger),
      options_(std::move(options)),
      clock_(clock ? std::move(clock) : Clock([] { return steady_clock::now(); })) {}

void RepeatingErrorLog::failed(const std::string& name, const std::string& reason, const std::string& context) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    Subject& s = subject(name, now);
    s.lastReason = reason;
    if (!s.failing) {
        s.failing = true;
        ++failingSubjects_;
        s.since = now;
        s.episodeFailures = 0;
        s.episodeLogged = false;
        while (!s.loggedEpisodes.empty() && now - s.loggedEpisodes.front() >= options_.summaryInterval) {
            s.loggedEpisodes.pop_front();
        }
        if (s.loggedEpisodes.size() < options_.burst) {
            s.loggedEpisodes.push_back(now);
            std::string text = name + " " + options_.failing + ": " + reason;
            if (s.unreported > 0) {
                text += " (flapping: " + std::to_string(s.unreported) + " failed attempts and " +
                        std::to_string(s.flaps) + " recoveries since the last report)";
            }
            line(options_.priority, text);
            s.lastLine = now;
            s.anyLine = true;
            s.episodeLogged = true;
            s.unreported = 0;
            s.flaps = 0;
            s.episodeFailures = 1;
            return;
        }
        // Flapping: counted, and reported by the next summary or recovery line.
    }
    ++s.episodeFailures;
    ++s.unreported;
    if (now - s.lastLine < options_.summaryInterval) return;
    std::string text;
    if (s.flaps > 0) {
        text = name + " " + options_.failing + " again: " + std::to_string(s.unreported) + " failed attempts and " +
               std::to_string(s.flaps) + " recoveries since the last report";
    } else {
        text = name + " still " + options_.failing + " after " +
               describe(std::chrono::duration_cast<std::chrono::milliseconds>(now - s.since)) + ": " +
               std::to_string(s.unreported) + " failed attempts since the last report";
    }
    if (!context.empty()) text += "; " + context;
    line(options_.priority, text + "; last: " + reason);
    s.lastLine = now;
    s.unreported = 0;
    s.flaps = 0;
    s.episodeLogged = true;
}

void RepeatingErrorLog::succeeded(const std::string& name, const std::string& context) {
    if (failingSubjects_.load(std::memory_order_relaxed) == 0) return;
    std::lock_guard lock(mutex_);
    const auto it = subjects_.find(name);
    if (it == subjects_.end() || !it->second.failing) return;
    Subject& s = it->second;
    const auto now = clock_();
    s.failing = false;
    --failingSubjects_;
    s.touched = now;
    const bool overdue = s.unreported > 0 && now - s.lastLine >= options_.summaryInterval;
    if (!s.episodeLogged && !overdue) {
        ++s.flaps;
        return;
    }
    std::string text = name + " " + options_.recovered + " after " +
                       describe(std::chrono::duration_cast<std::chrono::milliseconds>(now - s.since)) + " (";
    if (s.episodeLogged) {
        text += std::to_string(s.episodeFailures) + (s.episodeFailures == 1 ? " failed attempt" : " failed attempts");
    } else {
        text += "flapping: " + std::to_string(s.unreported) + " failed attempts and " + std::to_string(s.flaps) +
                " recoveries since the last report";
    }
    if (!context.empty()) text += "; " + context;
    line(options_.recoveredPriority, text + ")");
    s.lastLine = now;
    s.unreported = 0;
    s.flaps = 0;
}

bool RepeatingErrorLog::failing(const std::string& name) const {
    std::lock_guard lock(mutex_);
    const auto it = subjects_.find(name);
    return it != subjects_.end() && it->second.failing;
}

RepeatingErrorLog::Subject& RepeatingErrorLog::subject(const std::string& name, steady_clock::time_point now) {
    auto it = subjects_.find(name);
    if (it == subjects_.end()) {
        if (subjects_.size() >= options_.maxSubjects) {
            // Forget the subject quiet for longest, preferring one that is not failing.
            auto victim = subjects_.end();
            for (auto candidate = subjects_.begin(); candidate != subjects_.end(); ++candidate) {
                if (victim == subjects_.end() || (victim->second.failing && !candidate->second.failing) ||
                    (victim->second.failing == candidate->second.failing &&
                     candidate->second.touched < victim->second.touched)) {
                    victim = candidate;
                }
            }
            if (victim->second.failing) --failingSubjects_;
            subjects_.erase(victim);
        }
        it = subjects_.emplace(name, Subject{}).first;
    }
    it->second.touched = now;
    return it->second;
}

void RepeatingErrorLog::line(Poco::Message::Priority priority, const std::string& text) {
    logger_.log(Poco::Message(logger_.name(), text, priority));
}

std::string RepeatingErrorLog::describe(std::chrono::milliseconds duration) {
    const std::int64_t ms = std::max<std::int64_t>(0, duration.count());
    if (ms < 1000) return std::to_string(ms) + "ms";
    const std::int64_t s = ms / 1000;
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
    if (s < 86400) return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
    return std::to_string(s / 86400) + "d " + std::to_string(s % 86400 / 3600) + "h";
}

}  // namespace smbhub::core
