#include "auth/RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace smbhub::auth {

int RateLimiter::acquire(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto [it, created] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& bucket = it->second;
    if (!created) {
        const double elapsed = std::chrono::duration<double>(now - bucket.refilledAt).count();
        bucket.tokens = std::min(burst_, bucket.tokens + elapsed * perSecond_);
        bucket.refilledAt = now;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / perSecond_)));
}

}  // namespace smbhub::auth
