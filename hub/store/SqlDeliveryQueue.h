// DeliveryQueue on the hub's SQL database. Publishes are group-committed on SQLite (concurrent
// publishes share one transaction); the hot writes (events, deliveries, attempts, succeeded
// deliveries, integration bookkeeping) go through PreparedWriters.
//
// Thread-safety: as DeliveryQueue.
#pragma once

#include <functional>

#include "store/DeliveryQueue.h"
#include "store/SqlDatabase.h"

namespace smbhub::store {

class SqlDeliveryQueue final : public DeliveryQueue {
public:
    // `integrationsDisabled` is called after a record() disabled integrations (caches of them
    // must go).
    SqlDeliveryQueue(SqlDatabase& db, std::function<void()> integrationsDisabled)
        : db_(db), integrationsDisabled_(std::move(integrationsDisabled)) {}

    std::optional<IdempotentReplay> publish(const PublishBatch& batch) override;
    std::vector<ClaimedDelivery> claimDue(const std::string& owner, std::int64_t now, std::int64_t leaseUntil,
                                          int limit, const std::vector<std::string>& excluded = {}) override;
    std::vector<DisabledIntegration> record(const std::vector<AttemptOutcome>& outcomes,
                                            int disableAfterFailedDeliveries) override;
    void defer(const std::vector<DeferredDelivery>& deferred) override;
    void releaseAllLeases() override;
    std::vector<Attempt> recentAttempts(const std::string& integrationId, int limit) override;
    DeliveryStats stats(const std::string& integrationId) override;
    std::optional<DeliveryHistory> history(const std::string& deliveryId) override;
    RetryResult retry(const std::string& integrationId, const std::string& deliveryId, std::int64_t now,
                      int finalScheduleIndex) override;

private:
    SqlDatabase& db_;
    std::function<void()> integrationsDisabled_;
};

}  // namespace smbhub::store
