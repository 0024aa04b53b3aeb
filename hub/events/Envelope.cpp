#include "events/Envelope.h"

#include "core/Clock.h"
#include "core/Json.h"

namespace smbhub::events {

Envelope::Envelope(store::Event event) : event_(std::move(event)), createdAtIso_(core::isoUtc(event_.createdAt)) {
    // `data` is already JSON (it was parsed and written by the hub): it is placed as it is.
    json_.reserve(event_.dataJson.size() + 160);
    json_ += "{\"id\":" + core::jsonQuote(event_.id);
    json_ += ",\"type\":" + core::jsonQuote(event_.type);
    json_ += ",\"createdAt\":" + core::jsonQuote(createdAtIso_);
    json_ += ",\"accountId\":" + core::jsonQuote(event_.accountId);
    if (event_.test) json_ += ",\"test\":true";
    json_ += ",\"data\":";
    json_ += event_.dataJson;
    json_ += '}';
}

}  // namespace smbhub::events
