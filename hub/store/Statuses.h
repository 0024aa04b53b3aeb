// The states of a delivery and of one attempt of it, as the store keeps them and the API shows
// them (the strings are what the database columns and JSON hold).
//
// Thread-safety: enums and pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbhub::store {

enum class DeliveryStatus { Pending, Succeeded, Failed, Cancelled };
// An attempt that failed but will be tried again is `Pending` (its delivery stays pending).
enum class AttemptStatus { Succeeded, Pending, Failed };

std::string_view toString(DeliveryStatus status);
std::string_view toString(AttemptStatus status);
std::optional<DeliveryStatus> deliveryStatusFrom(std::string_view text);
std::optional<AttemptStatus> attemptStatusFrom(std::string_view text);

}  // namespace smbhub::store
