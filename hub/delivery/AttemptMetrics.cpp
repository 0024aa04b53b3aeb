#include "delivery/AttemptMetrics.h"

namespace smbhub::delivery {
namespace {

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// The sender's error sentences (delivery/AsioHttpSender.cpp) by kind.
metrics::AttemptResult transportResult(const std::string& error) {
    if (contains(error, "timed out")) return metrics::AttemptResult::Timeout;
    if (error.rfind("TLS", 0) == 0 || contains(error, "certificate")) return metrics::AttemptResult::Tls;
    if (contains(error, "is not allowed")) return metrics::AttemptResult::Refused;  // network rules (SPEC §11)
    return metrics::AttemptResult::Network;
}

}  // namespace

std::optional<metrics::AttemptResult> attemptResult(const AttemptReport& report) {
    switch (report.stage) {
        case AttemptReport::Stage::TargetUnusable:
        case AttemptReport::Stage::RenderFailed:
            return metrics::AttemptResult::Refused;
        case AttemptReport::Stage::NothingToSend:
            return std::nullopt;
        case AttemptReport::Stage::Sent:
            break;
    }
    if (report.status >= 200 && report.status < 300) return metrics::AttemptResult::Status2xx;
    if (report.status >= 300 && report.status < 400) return metrics::AttemptResult::Status3xx;
    if (report.status >= 400 && report.status < 500) return metrics::AttemptResult::Status4xx;
    if (report.status >= 500) return metrics::AttemptResult::Status5xx;
    if (report.status == 0 && report.transportError.empty()) {
        return std::nullopt;  // every part was accepted by earlier attempts: nothing was sent now
    }
    return transportResult(report.transportError);
}

void countFinishedAttempt(const FinishedAttempt& attempt, const DeliveryVerdict& verdict) {
    metrics::HubMetrics& m = metrics::hubMetrics();
    if (const auto result = attemptResult(attempt.report)) m.attemptFinished(attempt.provider, *result);
    if (verdict.delivery == store::DeliveryStatus::Succeeded) {
        const std::int64_t publishedAt = attempt.job.envelope ? attempt.job.envelope->event().createdAt : attempt.startedAt;
        m.deliveryCompleted(attempt.provider, true, static_cast<double>(attempt.finishedAt - publishedAt) / 1000.0);
    } else if (verdict.delivery == store::DeliveryStatus::Failed) {
        m.deliveryCompleted(attempt.provider, false, 0);
    }
}

}  // namespace smbhub::delivery
