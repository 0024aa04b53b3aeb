// libFuzzer: a request body as the API reads it: the strict JSON check, then Poco::JSON, then the
// readers the routes use (event data shaping for every event type, integration create/patch
// fields). Nothing may crash or throw anything but the errors those readers document; a body
// the strict check accepts must parse.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/ApiError.h"
#include "api/JsonInput.h"
#include "core/StrictJson.h"
#include "events/EventTypes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (smbhub::core::checkStrictJson(text)) return 0;
    // Poco 1.11's parser cannot read a top-level string or number ("Attempt to set value on an
    // empty stack"); the API refuses every body that is not an object before parsing it.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (text[first] != '{' && text[first] != '[')) return 0;
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(text);
    } catch (const Poco::Exception&) {
        std::abort();  // accepted by the strict check, refused by the parser: the check is wrong
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return 0;
    const auto body = parsed.extract<Poco::JSON::Object::Ptr>();
    using namespace smbhub;
    for (const char* type : {"lead.created", "lead.updated", "export.completed", "email_schedule.sent",
                             "credit.low_balance", "no.such.type"}) {
        Poco::JSON::Object::Ptr eventData = body->has("data") && body->isObject("data") ? body->getObject("data") : body;
        try {
            (void)events::shapeEvent(type, eventData);
        } catch (const Poco::Exception&) {
            std::abort();
        }
    }
    try {
        (void)api::optionalString(body, "displayName", 200);
        (void)api::requireString(body, "targetUrl", 2048);
    } catch (const api::ApiError&) {
    }
    try {
        (void)api::requireEventTypes(body, "events");
    } catch (const api::ApiError&) {
    }
    try {
        api::rejectUnknownFields(body, {"provider", "displayName", "targetUrl", "events", "settings"});
    } catch (const api::ApiError&) {
    }
    try {
        (void)api::requireObject(body, "settings");
    } catch (const api::ApiError&) {
    }
    return 0;
}
