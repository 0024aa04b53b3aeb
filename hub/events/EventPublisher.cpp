#include "events/EventPublisher.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "core/Clock.h"
#include "core/Json.h"
#include "core/Random.h"

namespace smbhub::events {
namespace {

bool subscribed(const store::FanoutTarget& target, const std::string& type) {
    return target.status == "active" &&
           std::find(target.events.begin(), target.events.end(), type) != target.events.end();
}

std::string responseJson(const PublishResult& result) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("id", result.eventId);
    Poco::JSON::Array::Ptr deliveries = new Poco::JSON::Array();
    for (const auto& d : result.deliveries) {
        Poco::JSON::Object::Ptr item = core::orderedObject();
        item->set("integrationId", d.integrationId);
        item->set("deliveryId", d.deliveryId);
        item->set("eventId", d.eventId);
        deliveries->add(item);
    }
    out->set("deliveries", deliveries);
    return core::condensedJson(out);
}

// Rebuilds the result of an earlier publish from the response stored with its idempotency key.
PublishResult replay(const std::string& json) {
    PublishResult result;
    result.responseJson = json;
    const auto object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    result.eventId = object->getValue<std::string>("id");
    const auto deliveries = object->getArray("deliveries");
    for (std::size_t i = 0; i < deliveries->size(); ++i) {
        const auto item = deliveries->getObject(static_cast<unsigned>(i));
        result.deliveries.push_back({item->getValue<std::string>("eventId"),
                                     item->getValue<std::string>("integrationId"),
                                     item->getValue<std::string>("deliveryId")});
    }
    return result;
}

}  // namespace

EventPublisher::EventPublisher(store::IntegrationStore& integrations, store::DeliveryQueue& queue,
                               DeliveryHandoff& handoff)
    : integrations_(integrations), queue_(queue), handoff_(handoff) {}

std::variant<PublishResult, EventProblem, IdempotencyMismatch> EventPublisher::publish(const PublishRequest& request) {
    auto shaped = shapeEvent(request.type, request.data);
    if (auto* problem = std::get_if<EventProblem>(&shaped)) return *problem;

    std::vector<store::FanoutTarget> targets;
    if (request.onlyIntegrationId) {
        if (auto one = integrations_.find(request.accountId, *request.onlyIntegrationId)) {
            targets.push_back({one->id, one->status, one->events});
        }
    } else {
        targets = integrations_.fanoutTargets(request.accountId);
    }

    const std::int64_t now = core::nowMillis();
    store::PublishBatch batch;
    PublishResult result;
    std::vector<SharedEnvelope> envelopes;  // per delivery of the batch
    for (const ShapedEvent& item : std::get<std::vector<ShapedEvent>>(shaped)) {
        store::Event event;
        event.id = core::newSortableId("evt");
        event.accountId = request.accountId;
        event.type = item.type;
        event.createdAt = now;
        event.test = request.test;
        event.dataJson = core::condensedJson(item.data);
        if (result.eventId.empty()) result.eventId = event.id;
        auto envelope = std::make_shared<const Envelope>(event);
        for (const store::FanoutTarget& target : targets) {
            if (!request.onlyIntegrationId && !subscribed(target, item.type)) continue;
            store::Delivery delivery;
            delivery.id = core::newSortableId("dlv");
            delivery.eventId = event.id;
            delivery.integrationId = target.integrationId;
            delivery.accountId = request.accountId;
            delivery.nextAttemptAt = now;
            delivery.createdAt = now;
            result.deliveries.push_back({event.id, target.integrationId, delivery.id});
            batch.deliveries.push_back(std::move(delivery));
            envelopes.push_back(envelope);
        }
        batch.events.push_back(std::move(event));
    }
    result.responseJson = responseJson(result);
    batch.idempotencyKey = request.idempotencyKey;
    batch.requestHash = request.requestHash;
    batch.idempotencyNotBefore = request.idempotencyNotBefore;
    batch.responseJson = result.responseJson;

    // Leased to this process's engine in the publishing transaction, so it can start them from
    // memory; without a lease (the engine is busy) they are claimed from the queue.
    const auto lease = batch.deliveries.empty() ? std::nullopt : handoff_.leaseFor(batch.deliveries.size());
    if (lease) {
        for (store::Delivery& d : batch.deliveries) {
            d.leaseOwner = lease->owner;
            d.leaseUntil = lease->until;
        }
    }
    if (auto earlier = queue_.publish(batch)) {
        if (!earlier->requestHash.empty() && earlier->requestHash != request.requestHash) {
            return IdempotencyMismatch{};
        }
        return replay(earlier->responseJson);
    }
    if (lease) {
        std::vector<DeliveryJob> jobs;
        jobs.reserve(batch.deliveries.size());
        for (std::size_t i = 0; i < batch.deliveries.size(); ++i) {
            jobs.push_back({std::move(batch.deliveries[i]), std::move(envelopes[i])});
        }
        handoff_.handOff(std::move(jobs));
    } else if (!batch.deliveries.empty()) {
        handoff_.wake();
    }
    return result;
}

}  // namespace smbhub::events
