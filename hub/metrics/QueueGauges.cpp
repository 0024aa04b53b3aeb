#include "metrics/QueueGauges.h"

#include <algorithm>

namespace smbhub::metrics {

std::optional<QueueGauges::Values> QueueGauges::get(std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    if (!last_ || nowMs - readAt_ >= maxAge_.count() || nowMs < readAt_) {
        try {
            last_ = read_(nowMs);
            readAt_ = nowMs;
        } catch (const std::exception&) {
            last_.reset();  // the database's own health check logs an outage
            return std::nullopt;
        }
    }
    Values v;
    v.pending = last_->pending;
    if (last_->oldestDueAt) v.oldestPendingSeconds = std::max<std::int64_t>(0, readAt_ - *last_->oldestDueAt) / 1000.0;
    return v;
}

}  // namespace smbhub::metrics
