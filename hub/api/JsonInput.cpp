#include "api/JsonInput.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "api/ApiError.h"
#include "events/EventTypes.h"

namespace smbhub::api {

std::optional<std::string> optionalString(const Poco::JSON::Object::Ptr& body,
                                          const std::string& field, std::size_t maxLength) {
    if (!body->has(field) || body->isNull(field)) return std::nullopt;
    const Poco::Dynamic::Var& value = body->get(field);
    if (!value.isString()) throw ApiError::invalid(field + " must be a string", field);
    std::string text = value.extract<std::string>();
    if (text.size() > maxLength) {
        throw ApiError::invalid(field + " must be at most " + std::to_string(maxLength) + " characters", field);
    }
    return text;
}

std::string requireString(const Poco::JSON::Object::Ptr& body, const std::string& field,
                          std::size_t maxLength) {
    auto value = optionalString(body, field, maxLength);
    if (!value || value->empty()) throw ApiError::invalid(field + " is required", field);
    return *value;
}

std::optional<std::int64_t> optionalInteger(const Poco::JSON::Object::Ptr& body, const std::string& field,
                                            std::int64_t min, std::int64_t max) {
    if (!body->has(field) || body->isNull(field)) return std::nullopt;
    const Poco::Dynamic::Var& value = body->get(field);
    const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    // Strict JSON has already refused numbers that are not exact; a whole number written with a
    // fraction (5.0) is still not one. Poco counts true and false as integers: they are not.
    if (!value.isInteger() || value.isBoolean()) throw ApiError::invalid(field + " must be " + range, field);
    std::int64_t number = 0;
    try {
        number = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        throw ApiError::invalid(field + " must be " + range, field);  // past 2^63
    }
    if (number < min || number > max) throw ApiError::invalid(field + " must be " + range, field);
    return number;
}

Poco::JSON::Object::Ptr requireObject(const Poco::JSON::Object::Ptr& body, const std::string& field) {
    if (!body->has(field) || body->isNull(field)) throw ApiError::invalid(field + " is required", field);
    if (!body->isObject(field)) throw ApiError::invalid(field + " must be an object", field);
    return body->getObject(field);
}

std::vector<std::string> requireEventTypes(const Poco::JSON::Object::Ptr& body, const std::string& field) {
    if (!body->has(field) || body->isNull(field)) throw ApiError::invalid(field + " is required", field);
    if (!body->isArray(field)) throw ApiError::invalid(field + " must be an array of event types", field);
    const Poco::JSON::Array::Ptr array = body->getArray(field);
    if (array->size() == 0) throw ApiError::invalid(field + " must name at least one event type", field);
    std::vector<std::string> types;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString() || !events::isEventType(item.extract<std::string>())) {
            throw ApiError::invalid(field + "[" + std::to_string(i) +
                                        "] must be one of lead.created, lead.updated, "
                                        "export.completed, email_schedule.sent, credit.low_balance",
                                    field);
        }
        const std::string type = item.extract<std::string>();
        if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
    }
    return types;
}

void rejectUnknownFields(const Poco::JSON::Object::Ptr& body, const std::vector<std::string>& allowed) {
    for (const auto& [key, value] : *body) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            throw ApiError::invalid("unknown field " + key, key);
        }
    }
}

}  // namespace smbhub::api
