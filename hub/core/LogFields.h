// Structured log messages: a sentence for people plus named fields for machines. In the text
// format only the sentence is written (it should say everything a person needs); in the JSON
// format the fields become members of the line beside "message" (core/Logging.h).
//
//   core::logWithFields(log, Poco::Message::PRIO_INFORMATION,
//                       "attempt 2 of delivery dlv_… failed: HTTP 500",
//                       {{"deliveryId", "dlv_…"}, {"attempt", 2}, {"responseStatus", 500}});
//
// Field names are camelCase like the API's; a field's value is a string, a whole number or a
// boolean.
// Never put a payload, a URL or a secret in a field (or the sentence).
//
// Thread-safety: as Poco::Logger (safe from any thread).
#pragma once

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace smbhub::core {

struct LogField {
    LogField(std::string fieldName, std::string text) : name(std::move(fieldName)), value(std::move(text)) {}
    LogField(std::string fieldName, const char* text) : name(std::move(fieldName)), value(std::string(text)) {}
    LogField(std::string fieldName, std::int64_t number) : name(std::move(fieldName)), value(number) {}
    LogField(std::string fieldName, int number) : name(std::move(fieldName)), value(std::int64_t{number}) {}
    LogField(std::string fieldName, bool flag) : name(std::move(fieldName)), value(flag) {}

    std::string name;
    std::variant<std::string, std::int64_t, bool> value;
};

// The name of the Poco::Message parameter that carries the fields, as the members of a JSON
// object without its braces ("\"deliveryId\":\"dlv_…\",\"attempt\":2").
inline constexpr const char* kLogFieldsParameter = "smbhub.fields";

void logWithFields(Poco::Logger& logger, Poco::Message::Priority priority, const std::string& text,
                   const std::vector<LogField>& fields);

// `fields` as JSON object members without the braces (what kLogFieldsParameter holds).
std::string jsonMembers(const std::vector<LogField>& fields);

}  // namespace smbhub::core
