#include "delivery/InFlightLimits.h"

namespace smbhub::delivery {

bool InFlightLimits::tryAcquire(const std::string& integrationId) {
    std::lock_guard lock(mutex_);
    if (total_ >= overall_) return false;
    int& active = byIntegration_[integrationId];
    if (active >= perIntegration_) return false;
    ++active;
    ++total_;
    return true;
}

void InFlightLimits::release(const std::string& integrationId, int count) {
    std::lock_guard lock(mutex_);
    total_ -= count;
    const auto it = byIntegration_.find(integrationId);
    if (it != byIntegration_.end() && (it->second -= count) <= 0) byIntegration_.erase(it);
}

int InFlightLimits::free() const {
    std::lock_guard lock(mutex_);
    return overall_ - total_;
}

int InFlightLimits::inFlight() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::vector<std::string> InFlightLimits::saturated() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [integrationId, active] : byIntegration_) {
        if (active >= perIntegration_) out.push_back(integrationId);
    }
    return out;
}

}  // namespace smbhub::delivery
