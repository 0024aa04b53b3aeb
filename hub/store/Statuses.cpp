#include "store/Statuses.h"

namespace smbhub::store {

std::string_view toString(DeliveryStatus status) {
    switch (status) {
        case DeliveryStatus::Pending: return "pending";
        case DeliveryStatus::Succeeded: return "succeeded";
        case DeliveryStatus::Failed: return "failed";
        case DeliveryStatus::Cancelled: return "cancelled";
    }
    return "pending";
}

std::string_view toString(AttemptStatus status) {
    switch (status) {
        case AttemptStatus::Succeeded: return "succeeded";
        case AttemptStatus::Pending: return "pending";
        case AttemptStatus::Failed: return "failed";
    }
    return "failed";
}

std::optional<DeliveryStatus> deliveryStatusFrom(std::string_view text) {
    if (text == "pending") return DeliveryStatus::Pending;
    if (text == "succeeded") return DeliveryStatus::Succeeded;
    if (text == "failed") return DeliveryStatus::Failed;
    if (text == "cancelled") return DeliveryStatus::Cancelled;
    return std::nullopt;
}

std::optional<AttemptStatus> attemptStatusFrom(std::string_view text) {
    if (text == "succeeded") return AttemptStatus::Succeeded;
    if (text == "pending") return AttemptStatus::Pending;
    if (text == "failed") return AttemptStatus::Failed;
    return std::nullopt;
}

}  // namespace smbhub::store
