#include "delivery/AdaptiveConcurrency.h"

#include <algorithm>
#include <cmath>

namespace smbhub::delivery {

AdaptiveConcurrency::AdaptiveConcurrency(Options options)
    : window_(std::clamp(options.initial, 1.0, std::max(1.0, options.ceiling))),
      ceiling_(std::max(1.0, options.ceiling)),
      slowStartUntil_(ceiling_) {}

int AdaptiveConcurrency::limit() const { return std::max(1, static_cast<int>(std::floor(window_))); }

std::uint64_t AdaptiveConcurrency::started() {
    const std::uint64_t request = next_++;
    outstanding_.insert(request);
    peak_ = std::max(peak_, outstanding());
    return request;
}

void AdaptiveConcurrency::answered(std::uint64_t request, Answer answer) {
    if (outstanding_.erase(request) == 0) return;  // answered twice: counted once
    switch (answer) {
        case Answer::Neutral:
            return;
        case Answer::SlowDown:
            // One decrease per round: the other requests of that round tell of the same trouble.
            if (request < slowDownFrom_) return;
            window_ = std::max(1.0, window_ / 2);
            slowStartUntil_ = window_;
            slowDownFrom_ = roundStart_ = next_;
            peak_ = outstanding();
            return;
        case Answer::InTime:
            break;
    }
    // A round ends when a request of it is answered and every request sent before that one has
    // been answered too; it counts only if the window was used to the full.
    const bool ofThisRound = request >= roundStart_;
    const bool nothingOlderOpen = outstanding_.empty() || *outstanding_.begin() > request;
    if (ofThisRound && nothingOlderOpen && peak_ >= limit()) grow();
}

void AdaptiveConcurrency::grow() {
    const double grown = window_ < slowStartUntil_ ? std::max(window_ + 1, window_ * 1.5) : window_ + 1;
    window_ = std::min(ceiling_, grown);
    roundStart_ = next_;
    peak_ = outstanding();
}

}  // namespace smbhub::delivery
