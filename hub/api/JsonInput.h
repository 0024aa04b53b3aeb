// Typed reads of fields from a request's JSON object. Each throws ApiError 400 naming the field
// when it is missing (where required) or of the wrong type.
//
// Thread-safety: pure functions of the JSON object they are given (which belongs to the request's
// thread).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smbhub::api {

std::string requireString(const Poco::JSON::Object::Ptr& body, const std::string& field,
                          std::size_t maxLength = 2048);
std::optional<std::string> optionalString(const Poco::JSON::Object::Ptr& body,
                                          const std::string& field, std::size_t maxLength = 2048);
// A whole number from `min` to `max`, or nullopt when absent or null.
std::optional<std::int64_t> optionalInteger(const Poco::JSON::Object::Ptr& body, const std::string& field,
                                            std::int64_t min, std::int64_t max);
Poco::JSON::Object::Ptr requireObject(const Poco::JSON::Object::Ptr& body, const std::string& field);
// A non-empty array of distinct event types (duplicates are folded).
std::vector<std::string> requireEventTypes(const Poco::JSON::Object::Ptr& body, const std::string& field);
// Rejects members other than `allowed`, naming the first unknown one.
void rejectUnknownFields(const Poco::JSON::Object::Ptr& body, const std::vector<std::string>& allowed);

}  // namespace smbhub::api
