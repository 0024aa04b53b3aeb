#include "delivery/DeliveryLogLines.h"

#include <Poco/Logger.h>

#include "core/Clock.h"

namespace smbhub::delivery {

void logRecordedOutcomes(const std::vector<store::AttemptOutcome>& outcomes,
                         const std::vector<store::DisabledIntegration>& disabled) {
    Poco::Logger& log = Poco::Logger::get("delivery");
    if (log.information()) {
        for (const store::AttemptOutcome& o : outcomes) {
            const store::Attempt& a = o.attempt;
            if (a.status == store::AttemptStatus::Succeeded) continue;
            const std::string what = a.responseStatus ? "HTTP " + std::to_string(*a.responseStatus) +
                                                            (a.error ? " (" + *a.error + ")" : std::string())
                                                      : a.error.value_or("no response");
            const std::string next = a.status == store::AttemptStatus::Pending
                                         ? "retry at " + core::isoUtc(o.nextAttemptAt)
                                         : "no more retries: the delivery failed";
            log.information("attempt %d of delivery %s to integration %s failed: %s; %s", a.attempt, a.deliveryId,
                            a.integrationId, what, next);
        }
    }
    for (const store::DisabledIntegration& d : disabled) {
        log.information("integration %s disabled: %s", d.integrationId, d.reason);
    }
}

}  // namespace smbhub::delivery
