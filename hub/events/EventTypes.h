// The five event types of SPEC §8 and the rules for their `data`.
//
// Thread-safety: pure functions over constant tables, safe from any thread; EventProblem and
// ShapedEvent are values (a ShapedEvent's data belongs to the thread that shaped it).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <variant>
#include <vector>

namespace smbhub::events {

const std::vector<std::string>& eventTypes();
bool isEventType(const std::string& type);

// A refused event: the offending field (dotted, e.g. "data.leads") and a sentence.
struct EventProblem {
    std::string field;
    std::string message;
};

// One event to store, with its data already shaped as it will be delivered.
struct ShapedEvent {
    std::string type;
    Poco::JSON::Object::Ptr data;
};

// Checks `data` for `type` and shapes it for delivery: lead events become {count, leads} with
// at most five sample leads; export.completed with a non-empty `updatedLeads` also yields a
// lead.updated event. Returns the problem instead when the data is not acceptable.
std::variant<std::vector<ShapedEvent>, EventProblem> shapeEvent(const std::string& type,
                                                                const Poco::JSON::Object::Ptr& data);

// {count, leads} for the given leads (sample of at most five), plus exportId when given.
Poco::JSON::Object::Ptr leadSample(const Poco::JSON::Array::Ptr& leads, const std::string& exportId);

}  // namespace smbhub::events
