#include "delivery/OutcomeLog.h"

#include <Poco/Logger.h>

#include "core/Clock.h"
#include "core/LogFields.h"

namespace smbhub::delivery {
namespace {

Poco::Logger& log() { return Poco::Logger::get("delivery"); }

// "HTTP 500", "HTTP 410: the Zap was turned off", "connection refused".
std::string whatHappened(const store::Attempt& a) {
    if (a.responseStatus) {
        std::string text = "HTTP " + std::to_string(*a.responseStatus);
        if (a.error) text += ": " + *a.error;
        return text;
    }
    return a.error ? *a.error : "no response";
}

void logFailedAttempt(const store::AttemptOutcome& outcome) {
    const store::Attempt& a = outcome.attempt;
    std::vector<core::LogField> fields = {{"event", "attempt_failed"},
                                          {"integrationId", a.integrationId},
                                          {"deliveryId", a.deliveryId},
                                          {"eventId", a.eventId},
                                          {"eventType", a.eventType},
                                          {"attempt", a.attempt},
                                          {"deliveryStatus", std::string(store::toString(outcome.deliveryStatus))}};
    if (a.responseStatus) fields.emplace_back("responseStatus", *a.responseStatus);
    if (a.error) fields.emplace_back("error", *a.error);
    std::string text = "delivery " + a.deliveryId + " to integration " + a.integrationId + ": attempt " +
                       std::to_string(a.attempt) + " failed (" + whatHappened(a) + ")";
    if (outcome.deliveryStatus == store::DeliveryStatus::Pending) {
        const std::string next = core::isoUtc(outcome.nextAttemptAt);
        fields.emplace_back("nextAttemptAt", next);
        core::logWithFields(log(), Poco::Message::PRIO_INFORMATION, text + ", next attempt at " + next, fields);
    } else {
        // No retry is left: the delivery has failed for good (until someone retries it by hand).
        core::logWithFields(log(), Poco::Message::PRIO_WARNING, text + "; no retries left, the delivery has failed",
                            fields);
    }
}

}  // namespace

void logRecordedOutcomes(const std::vector<store::AttemptOutcome>& outcomes,
                         const std::vector<store::DisabledIntegration>& disabled) {
    for (const store::AttemptOutcome& outcome : outcomes) {
        if (outcome.attempt.status != store::AttemptStatus::Succeeded) logFailedAttempt(outcome);
    }
    for (const store::DisabledIntegration& d : disabled) {
        core::logWithFields(log(), Poco::Message::PRIO_WARNING,
                            "integration " + d.integrationId + " disabled: " + d.reason,
                            {{"event", "integration_disabled"}, {"integrationId", d.integrationId}, {"reason", d.reason}});
    }
}

}  // namespace smbhub::delivery
