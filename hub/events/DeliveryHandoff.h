// Where the publisher hands the deliveries it has just stored, so that their first attempt does
// not wait for them to be claimed back from the database: the engine of the same process takes
// them straight from memory. The database stays the truth: a handed-off delivery is stored with a
// lease held by that engine (written in the publishing transaction), and if the process dies
// before recording an outcome, the lease expires and the delivery is claimed like any other.
//
// Implemented by delivery::DeliveryEngine. Thread-safety: every method may be called from any
// thread (API workers publish concurrently).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/Envelope.h"
#include "store/Records.h"

namespace smbhub::events {

// A delivery ready for its next attempt, with the event it carries.
struct DeliveryJob {
    store::Delivery delivery;  // with the lease it is held under
    SharedEnvelope envelope;
};

class DeliveryHandoff {
public:
    struct Lease {
        std::string owner;
        std::int64_t until = 0;  // Unix ms
    };

    virtual ~DeliveryHandoff() = default;
    // The lease to store `count` new deliveries with, or nullopt when they should be left
    // unleased for a claim (the engine is stopping or has enough waiting already).
    virtual std::optional<Lease> leaseFor(std::size_t count) = 0;
    // After the publish committed: the deliveries stored with that lease.
    virtual void handOff(std::vector<DeliveryJob> jobs) = 0;
    // Deliveries were stored without a lease: look for them now rather than at the next poll.
    virtual void wake() = 0;
};

}  // namespace smbhub::events
