#include "events/Envelope.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "core/Clock.h"

namespace smbhub::events {
namespace {

// A JSON string literal, escaped as Poco::JSON writes strings.
std::string quoted(const std::string& text) {
    std::ostringstream out;
    Poco::JSON::Stringifier::formatString(text, out);
    return out.str();
}

}  // namespace

Envelope::Envelope(store::Event event) : event_(std::move(event)), createdAtIso_(core::isoUtc(event_.createdAt)) {
    // `data` is already JSON (it was parsed and written by the hub): it is placed as it is.
    json_.reserve(event_.dataJson.size() + 160);
    json_ += "{\"id\":" + quoted(event_.id);
    json_ += ",\"type\":" + quoted(event_.type);
    json_ += ",\"createdAt\":" + quoted(createdAtIso_);
    json_ += ",\"accountId\":" + quoted(event_.accountId);
    if (event_.test) json_ += ",\"test\":true";
    json_ += ",\"data\":";
    json_ += event_.dataJson;
    json_ += '}';
}

}  // namespace smbhub::events
