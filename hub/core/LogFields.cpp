#include "core/LogFields.h"

#include "core/Json.h"

namespace smbhub::core {

std::string jsonMembers(const std::vector<LogField>& fields) {
    std::string out;
    for (const LogField& field : fields) {
        if (!out.empty()) out += ',';
        out += jsonQuote(field.name) + ':';
        if (const auto* text = std::get_if<std::string>(&field.value)) {
            out += jsonQuote(*text);
        } else if (const auto* number = std::get_if<std::int64_t>(&field.value)) {
            out += std::to_string(*number);
        } else {
            out += std::get<bool>(field.value) ? "true" : "false";
        }
    }
    return out;
}

void logWithFields(Poco::Logger& logger, Poco::Message::Priority priority, const std::string& text,
                   const std::vector<LogField>& fields) {
    if (!logger.is(priority)) return;
    Poco::Message message(logger.name(), text, priority);
    message.set(kLogFieldsParameter, jsonMembers(fields));
    logger.log(message);
}

}  // namespace smbhub::core
