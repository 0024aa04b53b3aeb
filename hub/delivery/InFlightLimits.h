// Which attempts this process may start now (SPEC §8: a slow or hanging receiver holds only its
// own share, never every slot; SPEC §15: each receiver is sent only what it can take).
//
// Two kinds of limits. Slots: at most `overall` attempts at once, and `perIntegration` for one
// integration, counted from the start of an attempt until its outcome is recorded. Pacing, per
// integration (delivery/IntegrationPacing): its adaptive window of unanswered requests, a
// Retry-After pause and its rate limit, fed with every answer.
//
// An admitted attempt carries a Ticket; its answer (answered()) and the recording of its outcome
// (release()) each come back once. Pacing state of integrations that have been idle for ten
// minutes is forgotten (memory stays bounded; a window is learnt again quickly).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "delivery/IntegrationPacing.h"

namespace smbhub::delivery {

class InFlightLimits {
public:
    InFlightLimits(int overall, int perIntegration, double initialWindow = 4);

    struct Ticket {
        std::string integrationId;
        std::uint64_t request = 0;
    };
    struct Admission {
        std::optional<Ticket> ticket;  // admitted
        std::int64_t notBefore = 0;    // refused: see IntegrationPacing::Admission
    };
    // Takes a slot for the integration if its limits allow a request at `now`.
    Admission tryAcquire(const std::string& integrationId, std::int64_t now);
    // The attempt's answer; true when the integration was at its window (room was just made).
    bool answered(const Ticket& ticket, IntegrationPacing::Answer answer, std::optional<std::int64_t> pauseUntil);
    void release(const std::string& integrationId, int count = 1);

    // The integration's settings (its target loaded), and requests an attempt sent beyond one.
    // configure() is true the first time: the integration may take more than one request now.
    bool configure(const std::string& integrationId, int rateLimitPerSecond, std::int64_t now);
    void charge(const std::string& integrationId, int extraRequests, std::int64_t now);

    int free() const;
    int inFlight() const;
    // Integrations that cannot start an attempt at `now` (slots taken, window full, paused or
    // out of tokens): not worth claiming deliveries for.
    std::vector<std::string> saturated(std::int64_t now);
    // The pacing of one integration (tests, logs); nullopt when none is kept.
    std::optional<IntegrationPacing> pacing(const std::string& integrationId) const;

private:
    struct PerIntegration {
        explicit PerIntegration(AdaptiveConcurrency::Options window) : pacing(window) {}
        int slots = 0;
        IntegrationPacing pacing;
        std::int64_t lastActive = 0;
    };
    PerIntegration& entry(const std::string& integrationId);
    void forgetIdle(std::int64_t now);

    const int overall_;
    const int perIntegration_;
    const AdaptiveConcurrency::Options window_;
    mutable std::mutex mutex_;
    int total_ = 0;
    std::map<std::string, PerIntegration> byIntegration_;
    std::int64_t sweptAt_ = 0;
};

}  // namespace smbhub::delivery
