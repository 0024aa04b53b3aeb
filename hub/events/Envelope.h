// The default body a receiver gets for an event (SPEC §8):
//   {"id":"evt_…","type":…,"createdAt":…,"accountId":…,"test"?:true,"data":{…}}
// built once from the event's fields and its `data` JSON, and carried as a value from the
// publisher (or the queue) to every delivery of the event. Plugins receive both the whole
// envelope and the `data` text; nothing is ever cut back out of the envelope.
//
// Thread-safety: a value type, immutable once built, safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "store/Records.h"

namespace smbhub::events {

class Envelope {
public:
    explicit Envelope(store::Event event);

    const store::Event& event() const { return event_; }
    const std::string& json() const { return json_; }        // the envelope, condensed
    const std::string& dataJson() const { return event_.dataJson; }
    const std::string& createdAtIso() const { return createdAtIso_; }

private:
    store::Event event_;
    std::string createdAtIso_;
    std::string json_;
};

using SharedEnvelope = std::shared_ptr<const Envelope>;

}  // namespace smbhub::events
