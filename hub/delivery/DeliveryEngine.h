// The delivery engine (SPEC §8): takes deliveries — handed over by this process's publisher the
// moment they are stored, or claimed from the queue when they fall due — and runs each attempt
// through its steps (delivery/DeliveryAttempt: prepare → send → finished), decides what it means
// (delivery/DeliveryVerdict) and records it with the delivery's new state (store::DeliveryQueue).
//
// Threads: one dispatcher starts attempts — hand-offs first, then claims of due deliveries (at
// least every poll interval, so retries are never starved by a stream of new events); the
// sender's I/O threads run the requests and finish the attempts; one recorder writes outcomes in
// batches (one transaction for many attempts) and logs failed attempts and disabled integrations.
//
// Limits (delivery/InFlightLimits): at most `max_in_flight` attempts at once, and at most
// `max_in_flight_per_integration` for one integration, so a slow receiver holds only its own
// share; within that, each integration is paced (SPEC §15): an adaptive window of unanswered
// requests, a Retry-After pause and its rate limit, fed with every answer. Deliveries that may
// not start yet — handed off, or claimed for an integration that turned out to be full — wait in
// memory (bounded), and their integrations are left out of claims meanwhile; the dispatcher
// wakes when a pause or a rate limit lets the next one go. When too many wait, or a lease would
// run out before an attempt could finish, they are given back to the queue (their lease
// released) and claimed again later.
//
// Every delivery is held under a lease: if this process dies, another (or this one after a
// restart) takes it when the lease expires, so accepted events are delivered at least once.
// When the database is unavailable the dispatcher and the recorder keep trying quietly (the
// database's health check logs the outage); outcomes wait in memory until they can be written.
//
// Thread-safety: start(), stop() from the controlling thread; the DeliveryHandoff methods and
// wake() from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/HubConfig.h"
#include "core/RepeatingErrorLog.h"
#include "delivery/DeliveryAttempt.h"
#include "delivery/HttpSender.h"
#include "delivery/InFlightLimits.h"
#include "delivery/RetrySchedule.h"
#include "delivery/TargetCache.h"
#include "events/DeliveryHandoff.h"
#include "store/DeliveryQueue.h"

namespace smbhub::delivery {

class DeliveryEngine final : public events::DeliveryHandoff {
public:
    DeliveryEngine(store::DeliveryQueue& queue, TargetCache& targets, HttpSender& sender,
                   const config::DeliveryConfig& config, std::string workerId);
    ~DeliveryEngine() override;
    DeliveryEngine(const DeliveryEngine&) = delete;
    DeliveryEngine& operator=(const DeliveryEngine&) = delete;

    void start();
    // Starts nothing new; waits up to the delivery timeout for attempts in flight to finish and
    // be recorded, then stops.
    void stop();

    // events::DeliveryHandoff
    std::optional<Lease> leaseFor(std::size_t count) override;
    void handOff(std::vector<events::DeliveryJob> jobs) override;
    void wake() override;

private:
    void dispatchLoop();
    void recordLoop();
    // Starts what is waiting in memory while there are slots; gives back what cannot wait.
    void startWaiting();
    // Claims due deliveries for the free slots; false when the queue had no more.
    bool claimAndStart();
    // Runs one attempt; the slot is already taken.
    void begin(events::DeliveryJob job, InFlightLimits::Ticket ticket);
    void finished(FinishedAttempt attempt, const InFlightLimits::Ticket& ticket);
    void giveBack(std::vector<store::DeferredDelivery> deferred);
    void released(const std::string& integrationId, int count);

    store::DeliveryQueue& queue_;
    TargetCache& targets_;
    HttpSender& sender_;
    const config::DeliveryConfig config_;
    const RetrySchedule schedule_;
    const std::string workerId_;
    const std::string handoffOwner_;  // the lease owner of hand-offs
    InFlightLimits limits_;

    std::mutex mutex_;
    std::condition_variable dispatcherWake_;
    std::condition_variable recorderWake_;
    std::condition_variable drained_;
    bool started_ = false;
    bool stopping_ = false;
    bool dispatcherStopped_ = false;
    bool claimRequested_ = false;
    bool discardResults_ = false;
    std::deque<events::DeliveryJob> waiting_;  // handed off or claimed, not started yet
    std::int64_t wakeAt_ = 0;  // when a pause or rate limit lets a waiting delivery go (0: none)
    std::vector<store::AttemptOutcome> outcomes_;  // finished, not recorded yet
    int attemptsInProgress_ = 0;                   // begun and not yet recorded or released
    std::uint64_t claimSequence_ = 0;

    core::RepeatingErrorLog errors_;    // the engine's own work: claiming, giving back, recording
    core::RepeatingErrorLog troubles_;  // plugins and receivers, by plugin and by host

    std::thread dispatcher_;
    std::thread recorder_;
};

}  // namespace smbhub::delivery
