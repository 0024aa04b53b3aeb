// A small cache of values read from the database, each kept for `maxAge`, for the lookups made
// on every request or publish (accounts, fan-out targets). Entries are dropped by the writes of
// this process; the age bounds how stale a change made by another process can be.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/Clock.h"

namespace smbhub::store {

template <typename Value>
class TimedCache {
public:
    // `maxAgeMs` 0: nothing is kept.
    explicit TimedCache(std::int64_t maxAgeMs, std::size_t maxEntries = 100000)
        : maxAgeMs_(maxAgeMs), maxEntries_(maxEntries) {}

    std::optional<Value> get(const std::string& key) const {
        if (maxAgeMs_ == 0) return std::nullopt;
        std::lock_guard lock(mutex_);
        const auto it = entries_.find(key);
        if (it == entries_.end() || core::nowMillis() - it->second.loadedAt >= maxAgeMs_) return std::nullopt;
        return it->second.value;
    }

    void put(const std::string& key, Value value) {
        if (maxAgeMs_ == 0) return;
        std::lock_guard lock(mutex_);
        if (entries_.size() >= maxEntries_) entries_.clear();  // bounded memory; a miss costs a read
        entries_[key] = Entry{core::nowMillis(), std::move(value)};
    }

    void forget(const std::string& key) {
        std::lock_guard lock(mutex_);
        entries_.erase(key);
    }

    void forgetAll() {
        std::lock_guard lock(mutex_);
        entries_.clear();
    }

private:
    struct Entry {
        std::int64_t loadedAt = 0;
        Value value;
    };
    const std::int64_t maxAgeMs_;
    const std::size_t maxEntries_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace smbhub::store
