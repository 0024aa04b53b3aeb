// How records look in API responses (SPEC §7): camelCase, ISO 8601 UTC times, optional members
// omitted when empty, secrets never included.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>

#include "store/Records.h"
#include "store/DeliveryQueue.h"

namespace smbhub::api {

// `requestLimit` is the provider's lifetime limit (0 = none): with one, the integration shows
// its usage, and a warning from 90% of the limit on. `nowMillis` decides whether a rotated-out
// secret still signs (previousSecretExpiresAt is shown until it expires).
Poco::JSON::Object::Ptr integrationJson(const store::Integration& integration, unsigned long long requestLimit,
                                        std::int64_t nowMillis);
Poco::JSON::Object::Ptr deliveryStatsJson(const store::DeliveryStats& stats);
Poco::JSON::Object::Ptr attemptJson(const store::Attempt& attempt);
Poco::JSON::Object::Ptr accountJson(const store::Account& account);
// Never the key: its id, prefix and times.
Poco::JSON::Object::Ptr apiKeyJson(const store::ApiKey& key);
// The delivery with every attempt (SPEC §14's support lookup).
Poco::JSON::Object::Ptr deliveryHistoryJson(const store::DeliveryHistory& history);

}  // namespace smbhub::api
