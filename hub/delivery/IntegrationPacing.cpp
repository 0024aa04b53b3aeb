#include "delivery/IntegrationPacing.h"

#include <algorithm>
#include <cmath>

namespace smbhub::delivery {

IntegrationPacing::IntegrationPacing(AdaptiveConcurrency::Options window) : window_(window) {}

IntegrationPacing::Admission IntegrationPacing::admit(std::int64_t now) {
    Admission a;
    if (now < pausedUntil_) {
        a.notBefore = pausedUntil_;
        return a;
    }
    if (window_.full() || (!configured_ && window_.outstanding() > 0)) return a;
    if (ratePerSecond_ > 0) {
        refill(now);
        if (tokens_ < 1) {
            const double wait = (1 - tokens_) * 1000.0 / ratePerSecond_;
            a.notBefore = now + std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)));
            return a;
        }
        tokens_ -= 1;
    }
    if (!configured_) ++admittedUnconfigured_;
    a.admitted = true;
    a.request = window_.started();
    return a;
}

void IntegrationPacing::answered(std::uint64_t request, Answer answer, std::optional<std::int64_t> pauseUntil) {
    window_.answered(request, answer);
    if (pauseUntil) pausedUntil_ = std::max(pausedUntil_, *pauseUntil);
}

void IntegrationPacing::configure(int rateLimitPerSecond, std::int64_t now) {
    const bool first = !configured_;
    configured_ = true;
    if (rateLimitPerSecond <= 0) {
        ratePerSecond_ = 0;
        return;
    }
    if (!first && rateLimitPerSecond == ratePerSecond_) return;
    const bool wasLimited = ratePerSecond_ > 0;
    refill(now);
    ratePerSecond_ = rateLimitPerSecond;
    // A tenth of a second's worth, so that 10/s sends one request every 100 ms.
    capacity_ = std::max(1.0, ratePerSecond_ / 10.0);
    // The request let through while the settings were being learnt counts against the limit.
    tokens_ = wasLimited ? std::min(tokens_, capacity_) : capacity_ - (first ? admittedUnconfigured_ : 0);
    refilledAt_ = now;
}

void IntegrationPacing::charge(int requests, std::int64_t now) {
    if (ratePerSecond_ <= 0 || requests <= 0) return;
    refill(now);
    tokens_ -= requests;
}

bool IntegrationPacing::idle(std::int64_t now) const {
    if (window_.outstanding() > 0 || now < pausedUntil_) return false;
    if (ratePerSecond_ <= 0) return true;
    // Whatever debt there is has been paid by now.
    return tokens_ + static_cast<double>(now - refilledAt_) * ratePerSecond_ / 1000.0 >= 0;
}

void IntegrationPacing::refill(std::int64_t now) {
    if (now > refilledAt_) {
        tokens_ = std::min(capacity_, tokens_ + static_cast<double>(now - refilledAt_) * ratePerSecond_ / 1000.0);
        refilledAt_ = now;
    }
}

}  // namespace smbhub::delivery
