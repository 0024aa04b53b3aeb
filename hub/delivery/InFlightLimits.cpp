#include "delivery/InFlightLimits.h"

namespace smbhub::delivery {
namespace {

constexpr std::int64_t kForgetIdleAfter = 10 * 60 * 1000;
constexpr std::int64_t kSweepEvery = 60 * 1000;

}  // namespace

InFlightLimits::InFlightLimits(int overall, int perIntegration, double initialWindow)
    : overall_(overall),
      perIntegration_(perIntegration),
      window_{initialWindow, static_cast<double>(perIntegration)} {}

InFlightLimits::PerIntegration& InFlightLimits::entry(const std::string& integrationId) {
    auto it = byIntegration_.find(integrationId);
    if (it == byIntegration_.end()) it = byIntegration_.emplace(integrationId, PerIntegration(window_)).first;
    return it->second;
}

InFlightLimits::Admission InFlightLimits::tryAcquire(const std::string& integrationId, std::int64_t now) {
    std::lock_guard lock(mutex_);
    Admission out;
    if (total_ >= overall_) return out;
    PerIntegration& e = entry(integrationId);
    e.lastActive = now;
    if (e.slots >= perIntegration_) return out;
    const IntegrationPacing::Admission paced = e.pacing.admit(now);
    if (!paced.admitted) {
        out.notBefore = paced.notBefore;
        return out;
    }
    ++e.slots;
    ++total_;
    out.ticket = Ticket{integrationId, paced.request};
    return out;
}

bool InFlightLimits::answered(const Ticket& ticket, IntegrationPacing::Answer answer,
                              std::optional<std::int64_t> pauseUntil) {
    std::lock_guard lock(mutex_);
    const auto it = byIntegration_.find(ticket.integrationId);
    if (it == byIntegration_.end()) return false;
    const bool wasFull = it->second.pacing.window().full();
    it->second.pacing.answered(ticket.request, answer, pauseUntil);
    return wasFull;
}

void InFlightLimits::release(const std::string& integrationId, int count) {
    std::lock_guard lock(mutex_);
    total_ -= count;
    const auto it = byIntegration_.find(integrationId);
    if (it != byIntegration_.end()) it->second.slots -= count;
}

bool InFlightLimits::configure(const std::string& integrationId, int rateLimitPerSecond, std::int64_t now) {
    std::lock_guard lock(mutex_);
    IntegrationPacing& pacing = entry(integrationId).pacing;
    const bool first = !pacing.configured();
    pacing.configure(rateLimitPerSecond, now);
    return first;
}

void InFlightLimits::charge(const std::string& integrationId, int extraRequests, std::int64_t now) {
    std::lock_guard lock(mutex_);
    entry(integrationId).pacing.charge(extraRequests, now);
}

int InFlightLimits::free() const {
    std::lock_guard lock(mutex_);
    return overall_ - total_;
}

int InFlightLimits::inFlight() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::vector<std::string> InFlightLimits::saturated(std::int64_t now) {
    std::lock_guard lock(mutex_);
    forgetIdle(now);
    std::vector<std::string> out;
    for (const auto& [integrationId, e] : byIntegration_) {
        const IntegrationPacing& p = e.pacing;
        if (e.slots >= perIntegration_ || p.window().full() || now < p.pausedUntil() ||
            (!p.configured() && p.window().outstanding() > 0)) {
            out.push_back(integrationId);
        }
    }
    return out;
}

std::optional<IntegrationPacing> InFlightLimits::pacing(const std::string& integrationId) const {
    std::lock_guard lock(mutex_);
    const auto it = byIntegration_.find(integrationId);
    if (it == byIntegration_.end()) return std::nullopt;
    return it->second.pacing;
}

void InFlightLimits::forgetIdle(std::int64_t now) {
    if (now - sweptAt_ < kSweepEvery) return;
    sweptAt_ = now;
    for (auto it = byIntegration_.begin(); it != byIntegration_.end();) {
        const PerIntegration& e = it->second;
        if (e.slots == 0 && now - e.lastActive > kForgetIdleAfter && e.pacing.idle(now)) it = byIntegration_.erase(it);
        else ++it;
    }
}

}  // namespace smbhub::delivery
