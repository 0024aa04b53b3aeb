// How many attempts this process has in flight, overall and per integration (SPEC §8: a slow or
// hanging receiver holds only its own share, never every slot).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace smbhub::delivery {

class InFlightLimits {
public:
    InFlightLimits(int overall, int perIntegration) : overall_(overall), perIntegration_(perIntegration) {}

    // Takes a slot for the integration; false when it or the whole engine is full.
    bool tryAcquire(const std::string& integrationId);
    void release(const std::string& integrationId, int count = 1);

    int free() const;
    int inFlight() const;
    // Integrations that have every slot of theirs taken (not worth claiming for now).
    std::vector<std::string> saturated() const;

private:
    const int overall_;
    const int perIntegration_;
    mutable std::mutex mutex_;
    int total_ = 0;
    std::map<std::string, int> byIntegration_;
};

}  // namespace smbhub::delivery
