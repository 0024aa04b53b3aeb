#include "events/EventTypes.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/Json.h"

namespace smbhub::events {
namespace {

constexpr std::size_t kLeadSampleSize = 5;

bool isString(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) && o->get(key).isString();
}

bool isNumber(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o->has(key)) return false;
    const Poco::Dynamic::Var& v = o->get(key);
    return v.isNumeric() && !v.isBoolean() && !v.isString();
}

double number(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->get(key).convert<double>();
}

std::optional<EventProblem> checkLeads(const Poco::JSON::Object::Ptr& data, const std::string& key) {
    const std::string field = "data." + key;
    if (!data->has(key)) return EventProblem{field, field + " is required"};
    const Poco::JSON::Array::Ptr leads = data->getArray(key);
    if (!leads) return EventProblem{field, field + " must be an array of lead objects"};
    if (leads->size() == 0) return EventProblem{field, field + " must contain at least one lead"};
    for (std::size_t i = 0; i < leads->size(); ++i) {
        if (!leads->isObject(i)) {
            return EventProblem{field + "[" + std::to_string(i) + "]", "each lead must be an object"};
        }
    }
    return std::nullopt;
}

std::optional<EventProblem> checkOptionalString(const Poco::JSON::Object::Ptr& data,
                                                const std::string& key) {
    if (data->has(key) && !data->get(key).isEmpty() && !data->get(key).isString()) {
        return EventProblem{"data." + key, "data." + key + " must be a string"};
    }
    return std::nullopt;
}

std::optional<EventProblem> requireString(const Poco::JSON::Object::Ptr& data, const std::string& key) {
    if (!isString(data, key) || data->getValue<std::string>(key).empty()) {
        return EventProblem{"data." + key, "data." + key + " is required and must be a non-empty string"};
    }
    return std::nullopt;
}

std::optional<EventProblem> requireNumber(const Poco::JSON::Object::Ptr& data, const std::string& key,
                                          bool wholeNonNegative) {
    if (!isNumber(data, key)) {
        return EventProblem{"data." + key, "data." + key + " is required and must be a number"};
    }
    const double v = number(data, key);
    if (!std::isfinite(v) || (wholeNonNegative && (v < 0 || std::floor(v) != v))) {
        return EventProblem{"data." + key, "data." + key + " must be a whole number of at least 0"};
    }
    return std::nullopt;
}

std::string optionalString(const Poco::JSON::Object::Ptr& data, const std::string& key) {
    return isString(data, key) ? data->getValue<std::string>(key) : std::string();
}

}  // namespace

const std::vector<std::string>& eventTypes() {
    static const std::vector<std::string> types = {"lead.created", "lead.updated",
                                                   "export.completed", "email_schedule.sent",
                                                   "credit.low_balance"};
    return types;
}

bool isEventType(const std::string& type) {
    const auto& types = eventTypes();
    return std::find(types.begin(), types.end(), type) != types.end();
}

Poco::JSON::Object::Ptr leadSample(const Poco::JSON::Array::Ptr& leads, const std::string& exportId) {
    Poco::JSON::Object::Ptr out = core::orderedObject();
    out->set("count", static_cast<Poco::Int64>(leads->size()));
    Poco::JSON::Array::Ptr sample = new Poco::JSON::Array();
    for (std::size_t i = 0; i < leads->size() && i < kLeadSampleSize; ++i) sample->add(leads->get(i));
    out->set("leads", sample);
    if (!exportId.empty()) out->set("exportId", exportId);
    return out;
}

std::variant<std::vector<ShapedEvent>, EventProblem> shapeEvent(const std::string& type,
                                                                const Poco::JSON::Object::Ptr& data) {
    if (!isEventType(type)) {
        return EventProblem{"type", "type must be one of lead.created, lead.updated, "
                                    "export.completed, email_schedule.sent, credit.low_balance"};
    }
    if (!data) return EventProblem{"data", "data is required and must be an object"};

    if (type == "lead.created" || type == "lead.updated") {
        if (auto p = checkLeads(data, "leads")) return *p;
        if (auto p = checkOptionalString(data, "exportId")) return *p;
        return std::vector<ShapedEvent>{
            {type, leadSample(data->getArray("leads"), optionalString(data, "exportId"))}};
    }
    if (type == "export.completed") {
        if (auto p = requireString(data, "exportId")) return *p;
        if (auto p = requireNumber(data, "rowCount", true)) return *p;
        if (auto p = requireString(data, "format")) return *p;
        std::vector<ShapedEvent> out;
        Poco::JSON::Object::Ptr shaped = core::orderedObject();
        for (const auto& [key, value] : *data) {
            if (key != "updatedLeads") shaped->set(key, value);
        }
        out.push_back({type, shaped});
        const bool hasUpdated = data->has("updatedLeads") && !data->isNull("updatedLeads") &&
                                !(data->isArray("updatedLeads") && data->getArray("updatedLeads")->size() == 0);
        if (hasUpdated) {
            if (auto p = checkLeads(data, "updatedLeads")) return *p;
            out.push_back({"lead.updated", leadSample(data->getArray("updatedLeads"),
                                                      data->getValue<std::string>("exportId"))});
        }
        return out;
    }
    if (type == "email_schedule.sent") {
        if (auto p = requireString(data, "scheduleId")) return *p;
        const bool recipientsOk =
            data->has("recipients") &&
            (data->isArray("recipients") || (isNumber(data, "recipients") && number(data, "recipients") >= 0));
        if (!recipientsOk) {
            return EventProblem{"data.recipients",
                                "data.recipients is required: a count or an array of recipients"};
        }
        if (auto p = requireString(data, "sentAt")) return *p;
        return std::vector<ShapedEvent>{{type, data}};
    }
    // credit.low_balance
    if (auto p = requireNumber(data, "remaining", false)) return *p;
    if (auto p = requireNumber(data, "threshold", false)) return *p;
    if (!(number(data, "remaining") < number(data, "threshold"))) {
        return EventProblem{"data.remaining", "data.remaining must be below data.threshold"};
    }
    return std::vector<ShapedEvent>{{type, data}};
}

}  // namespace smbhub::events
