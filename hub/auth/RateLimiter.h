// Per-account token buckets for the REST API (SPEC §11). In memory: with several hub
// processes each enforces its own share.
//
// Thread-safety: acquire() may be called from any thread (one mutex around the buckets).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace smbhub::auth {

class RateLimiter {
public:
    RateLimiter(double perSecond, int burst) : perSecond_(perSecond), burst_(burst) {}

    // 0 when the request may proceed, else the whole seconds to wait.
    int acquire(const std::string& key);

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point refilledAt;
    };
    double perSecond_;
    double burst_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace smbhub::auth
