// The delivery engine: claims due deliveries from the store, has each provider render them,
// signs and sends them through the HttpSender, and records every attempt with the delivery's
// next state (SPEC §8).
//
// Threads: one dispatcher claims and starts work; the sender's I/O threads run requests and
// report back; one recorder writes outcomes in batches (one transaction for many attempts).
// At most `max_in_flight` deliveries are outstanding, and at most
// `max_in_flight_per_integration` for one integration, so a slow receiver holds only its own
// share. A claim carries a lease: if this process dies, another (or this one after restart)
// takes the delivery when the lease expires, so accepted events are delivered at least once.
//
// When the database is unavailable the dispatcher and the recorder keep trying quietly (the
// store's DatabaseHealth refuses at once and logs the outage as a state); outcomes wait in memory
// until they can be written. Other errors that repeat in a loop — claims that fail, a plugin that
// keeps throwing, a receiver host that keeps failing at the network level — are logged as states
// too (core/RepeatingErrorLog): one line when it starts, a summary a minute, one when it stops.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/HubConfig.h"
#include "core/RepeatingErrorLog.h"
#include "delivery/HttpSender.h"
#include "delivery/RetrySchedule.h"
#include "delivery/TargetCache.h"
#include "store/Store.h"

namespace smbhub::delivery {

class DeliveryEngine {
public:
    DeliveryEngine(store::Store& store, TargetCache& targets, HttpSender& sender,
                   const config::DeliveryConfig& config, std::string processId);
    ~DeliveryEngine();
    DeliveryEngine(const DeliveryEngine&) = delete;
    DeliveryEngine& operator=(const DeliveryEngine&) = delete;

    void start();
    // Waits up to the delivery timeout for requests in flight, then stops.
    void stop();
    // New work was stored: look for it now rather than at the next poll.
    void wake();

private:
    struct InFlight;

    void dispatchLoop();
    void recordLoop();
    int claimAndStart(int capacity);
    void begin(store::ClaimedDelivery claim, const std::string& leaseOwner);
    void sendPart(const std::shared_ptr<InFlight>& work);
    void onResponse(const std::shared_ptr<InFlight>& work, HttpResponse response);
    void finish(const std::shared_ptr<InFlight>& work, const HttpResponse& response,
                const std::string& error, bool succeeded, bool permanent,
                const std::string& disableReason);
    void release(const std::string& integrationId, int count);

    store::Store& store_;
    TargetCache& targets_;
    HttpSender& sender_;
    const config::DeliveryConfig config_;
    const RetrySchedule schedule_;
    const std::string processId_;

    std::mutex mutex_;
    std::condition_variable dispatcherWake_;
    std::condition_variable recorderWake_;
    std::condition_variable drained_;
    bool stopping_ = false;
    bool dispatcherStopped_ = false;
    bool wakeRequested_ = false;
    bool discardResults_ = false;
    int inFlight_ = 0;
    std::map<std::string, int> inFlightByIntegration_;
    std::vector<store::AttemptOutcome> pendingOutcomes_;
    std::uint64_t claimSequence_ = 0;

    core::RepeatingErrorLog errors_;    // the engine's own work: claiming, deferring, recording
    core::RepeatingErrorLog troubles_;  // plugins and receivers, by plugin and by host

    std::thread dispatcher_;
    std::thread recorder_;
};

}  // namespace smbhub::delivery
