// Accepts an event: checks and shapes its data, fans it out to every active integration of the
// account subscribed to its type (or to one integration for test and push-lead), and stores the
// event and its deliveries in one transaction before anything is acknowledged (SPEC §8). The
// deliveries it stored go straight to this process's delivery engine (events/DeliveryHandoff),
// leased to it in that same transaction, with the event's envelope built once for all of them.
//
// Thread-safety: publish() may be called from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/EventTypes.h"
#include "events/DeliveryHandoff.h"
#include "store/DeliveryQueue.h"
#include "store/IntegrationStore.h"

namespace smbhub::events {

struct PublishRequest {
    std::string accountId;
    std::string type;
    Poco::JSON::Object::Ptr data;
    bool test = false;
    std::optional<std::string> onlyIntegrationId;  // test / push-lead: this integration only
    std::string idempotencyKey;
    std::string requestHash;                 // with a key: identifies the request it was used for
    std::int64_t idempotencyNotBefore = 0;   // keys stored before this have expired
};

struct PublishedDelivery {
    std::string eventId;
    std::string integrationId;
    std::string deliveryId;
};

struct PublishResult {
    std::string eventId;                       // the event asked for
    std::vector<PublishedDelivery> deliveries; // of it and of events it implied
    std::string responseJson;                  // the POST /api/events answer (or its replay)
};

// A repeated Idempotency-Key came with a different request (SPEC §13: 422).
struct IdempotencyMismatch {};

class EventPublisher {
public:
    EventPublisher(store::IntegrationStore& integrations, store::DeliveryQueue& queue, DeliveryHandoff& handoff);

    // Throws store::StoreUnavailable when it cannot be stored durably.
    std::variant<PublishResult, EventProblem, IdempotencyMismatch> publish(const PublishRequest& request);

private:
    store::IntegrationStore& integrations_;
    store::DeliveryQueue& queue_;
    DeliveryHandoff& handoff_;
};

}  // namespace smbhub::events
