#include "store/SqlDeliveryQueue.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <map>

#include "core/Clock.h"
#include "store/HotStatement.h"
#include "store/PreparedWriters.h"
#include "store/RecordRows.h"
#include "store/SqlText.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {
namespace {

using Caller = SqlDatabase::Caller;
using Session = SqlDatabase::Session;

std::optional<IdempotentReplay> publishInto(SqlDatabase& db, Session& s, const PublishBatch& batch) {
    const std::string& accountId = batch.events.front().accountId;
    if (!batch.idempotencyKey.empty()) {
        // A key older than its retention is forgotten: the publish takes it anew.
        s << "DELETE FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2 AND created_at < $3",
            bind(accountId), bind(batch.idempotencyKey), bind(static_cast<Int64>(batch.idempotencyNotBefore)), now;
        Statement select(s);
        select << "SELECT response, request_hash FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2",
            bind(accountId), bind(batch.idempotencyKey), now;
        const Rows rows(select);
        if (!rows.empty()) return IdempotentReplay{rows[0].text("response"), rows[0].text("request_hash")};
        s << "INSERT INTO idempotency_keys (account_id, idem_key, response, created_at, request_hash)"
             " VALUES ($1,$2,$3,$4,$5)",
            bind(accountId), bind(batch.idempotencyKey), bind(batch.responseJson),
            bind(static_cast<Int64>(batch.events.front().createdAt)), bind(batch.requestHash), now;
    }
    db.withWriters(s, [&](PreparedWriters& writers) {
        writers.insertEvents(batch.events);
        writers.insertDeliveries(batch.deliveries);
    });
    return std::nullopt;
}

// What one batch of outcomes changes on one integration.
struct IntegrationTally {
    std::int64_t lastAttemptAt = 0;
    int requestsAccepted = 0;
    bool succeeded = false;         // some delivery succeeded: the failure streak restarts
    int exhaustedSinceSuccess = 0;  // exhausted deliveries after the batch's last success
    std::string disableReason;
};

std::map<std::string, IntegrationTally> tally(const std::vector<const AttemptOutcome*>& outcomes) {
    std::map<std::string, IntegrationTally> out;
    for (const AttemptOutcome* outcome : outcomes) {
        const AttemptOutcome& o = *outcome;
        IntegrationTally& t = out[o.attempt.integrationId];
        t.lastAttemptAt = std::max(t.lastAttemptAt, o.attempt.createdAt);
        t.requestsAccepted += o.requestsAccepted;
        if (o.deliveryStatus == DeliveryStatus::Succeeded) {
            t.succeeded = true;
            t.exhaustedSinceSuccess = 0;
        } else if (o.deliveryExhausted) {
            ++t.exhaustedSinceSuccess;
        }
        if (!o.disableReason.empty()) t.disableReason = o.disableReason;
    }
    return out;
}

}  // namespace

std::optional<IdempotentReplay> SqlDeliveryQueue::publish(const PublishBatch& batch) {
    return db_.writeGrouped(Caller::Api, [&](Session& s) { return publishInto(db_, s, batch); });
}

std::vector<ClaimedDelivery> SqlDeliveryQueue::claimDue(const std::string& owner, std::int64_t nowMs,
                                                        std::int64_t leaseUntil, int limit,
                                                        const std::vector<std::string>& excluded) {
    const SqlDialect::ClaimSql sql = db_.dialect().claimDue(excluded.size());
    return db_.write(Caller::Engine, [&](Session& s) {
        for (const std::string& setup : sql.setup) HotStatement(s, setup).execute();
        Statement claim(s);
        claim << sql.select;
        if (sql.leasesRows) claim, bind(owner), bind(static_cast<Int64>(leaseUntil));
        claim, bind(static_cast<Int64>(nowMs));
        for (const std::string& id : excluded) claim, bind(id);
        claim, bind(limit);
        claim.execute();
        std::vector<ClaimedDelivery> out = Rows(claim).map(claimedDeliveryFrom);
        if (!sql.leasesRows && !out.empty()) {
            Statement lease(s);
            lease << "UPDATE deliveries SET lease_owner = $1, lease_until = $2 WHERE id IN "
                  << placeholderRows(1, out.size(), 3),
                bind(owner), bind(static_cast<Int64>(leaseUntil));
            for (const auto& c : out) lease, bind(c.delivery.id);
            lease.execute();
        }
        for (auto& c : out) {
            c.delivery.leaseOwner = owner;
            c.delivery.leaseUntil = leaseUntil;
        }
        return out;
    });
}

std::vector<DisabledIntegration> SqlDeliveryQueue::record(const std::vector<AttemptOutcome>& outcomes,
                                                          int disableAfterFailedDeliveries) {
    if (outcomes.empty()) return {};
    std::vector<DisabledIntegration> disabled = db_.write(Caller::Engine, [&](Session& s) {
        std::vector<DisabledIntegration> out;
        const Int64 nowMs = core::nowMillis();
        // Outcomes whose attempt is already logged were recorded before (a retry after a commit
        // whose acknowledgement was lost): they change nothing again.
        std::vector<const AttemptOutcome*> fresh;
        db_.withWriters(s, [&](PreparedWriters& writers) {
            std::vector<const Attempt*> attempts;
            for (const AttemptOutcome& o : outcomes) attempts.push_back(&o.attempt);
            const std::vector<bool> inserted = writers.insertAttempts(attempts);
            std::vector<PreparedWriters::Claim> succeeded;
            for (std::size_t i = 0; i < outcomes.size(); ++i) {
                if (!inserted[i]) continue;
                fresh.push_back(&outcomes[i]);
                if (outcomes[i].deliveryStatus == DeliveryStatus::Succeeded) {
                    succeeded.push_back({outcomes[i].attempt.deliveryId, outcomes[i].leaseOwner});
                }
            }
            writers.succeedDeliveries(succeeded, nowMs);
        });

        // Only the holder of the lease moves a delivery on; a lease that expired and was taken by
        // another process leaves that process in charge (its attempt is still logged above). A
        // lease owner is set only on pending deliveries and cleared by every change of status, so
        // it implies `status = 'pending'`; saying so in the WHERE would invite PostgreSQL to scan
        // the partial queue index instead of the primary key when its statistics say "few
        // pending".
        for (const AttemptOutcome* outcome : fresh) {
            const AttemptOutcome& o = *outcome;
            if (o.deliveryStatus == DeliveryStatus::Succeeded) continue;  // done above
            const Attempt& a = o.attempt;
            s << "UPDATE deliveries SET status = $1, attempts = $2, schedule_index = $3,"
                 " parts_done = $4, next_attempt_at = $5, lease_owner = '', lease_until = 0,"
                 " updated_at = $6 WHERE id = $7 AND lease_owner = $8",
                bind(std::string(toString(o.deliveryStatus))), bind(a.attempt), bind(o.scheduleIndex),
                bind(o.partsDone), bind(static_cast<Int64>(o.nextAttemptAt)), bind(static_cast<Int64>(a.createdAt)),
                bind(a.deliveryId), bind(o.leaseOwner), now;
        }
        const std::string streakReason = "disabled after " + std::to_string(disableAfterFailedDeliveries) +
                                         " consecutive deliveries failed every attempt";
        const auto tallies = tally(fresh);
        db_.withWriters(s, [&](PreparedWriters& writers) {
            for (const auto& [integrationId, t] : tallies) {
                writers.tallyIntegration(integrationId, t.lastAttemptAt, t.requestsAccepted, t.succeeded,
                                         t.exhaustedSinceSuccess);
            }
        });
        for (const auto& [integrationId, t] : tallies) {
            if (!t.disableReason.empty()) {
                Statement disable(s);
                disable << "UPDATE integrations SET status = 'disabled', status_reason = $1, updated_at = $2"
                           " WHERE id = $3 AND status = 'active'",
                    bind(t.disableReason), bind(nowMs), bind(integrationId);
                if (disable.execute() > 0) out.push_back({integrationId, t.disableReason});
            }
            if (t.exhaustedSinceSuccess > 0) {
                Statement disable(s);
                disable << "UPDATE integrations SET status = 'disabled', status_reason = $1, updated_at = $2"
                           " WHERE id = $3 AND status = 'active' AND failed_streak >= $4",
                    bind(streakReason), bind(nowMs), bind(integrationId), bind(disableAfterFailedDeliveries);
                if (disable.execute() > 0) out.push_back({integrationId, streakReason});
            }
        }
        return out;
    });
    if (!disabled.empty() && integrationsDisabled_) integrationsDisabled_();
    return disabled;
}

void SqlDeliveryQueue::defer(const std::vector<DeferredDelivery>& deferred) {
    if (deferred.empty()) return;
    db_.write(Caller::Engine, [&](Session& s) {
        for (const DeferredDelivery& d : deferred) {
            s << "UPDATE deliveries SET next_attempt_at = $1, lease_owner = '', lease_until = 0"
                 " WHERE id = $2 AND lease_owner = $3",
                bind(static_cast<Int64>(d.nextAttemptAt)), bind(d.deliveryId), bind(d.leaseOwner), now;
        }
    });
}

void SqlDeliveryQueue::releaseAllLeases() {
    db_.write(Caller::Engine, [](Session& s) {
        s << "UPDATE deliveries SET lease_owner = '', lease_until = 0 WHERE status = 'pending'", now;
    });
}

std::vector<Attempt> SqlDeliveryQueue::recentAttempts(const std::string& integrationId, int limit) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kAttemptColumns
               << " FROM attempts WHERE integration_id = $1 ORDER BY created_at DESC, attempt DESC LIMIT $2",
            bind(integrationId), bind(limit), now;
        return Rows(select).map(attemptFrom);
    });
}

std::optional<DeliveryHistory> SqlDeliveryQueue::history(const std::string& deliveryId) {
    return db_.read(Caller::Api, [&](Session& s) -> std::optional<DeliveryHistory> {
        Statement select(s);
        select << "SELECT d.id, d.event_id, d.integration_id, d.account_id, d.status, d.attempts,"
                  " d.schedule_index, d.parts_done, d.next_attempt_at, d.created_at, d.updated_at, e.type"
                  " FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = $1",
            bind(deliveryId), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        DeliveryHistory h;
        h.delivery = deliveryFrom(rows[0]);
        h.updatedAt = rows[0].integer("updated_at");
        h.eventType = rows[0].text("type");
        Statement attempts(s);
        attempts << "SELECT " << kAttemptColumns
                 << " FROM attempts WHERE delivery_id = $1 ORDER BY attempt, created_at",
            bind(deliveryId), now;
        h.attempts = Rows(attempts).map(attemptFrom);
        return h;
    });
}

DeliveryStats SqlDeliveryQueue::stats(const std::string& integrationId) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT status, COUNT(*) AS n FROM deliveries WHERE integration_id = $1 GROUP BY status",
            bind(integrationId), now;
        DeliveryStats stats;
        for (const Row& row : Rows(select)) {
            const Int64 n = row.integer("n");
            stats.total += n;
            switch (deliveryStatusFrom(row.text("status")).value_or(DeliveryStatus::Cancelled)) {
                case DeliveryStatus::Pending: stats.pending = n; break;
                case DeliveryStatus::Succeeded: stats.succeeded = n; break;
                case DeliveryStatus::Failed: stats.failed = n; break;
                case DeliveryStatus::Cancelled: stats.cancelled = n; break;
            }
        }
        return stats;
    });
}

RetryResult SqlDeliveryQueue::retry(const std::string& integrationId, const std::string& deliveryId,
                                    std::int64_t nowMs, int finalScheduleIndex) {
    return db_.write(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT status FROM deliveries WHERE id = $1 AND integration_id = $2", bind(deliveryId),
            bind(integrationId), now;
        const Rows rows(select);
        if (rows.empty()) return RetryResult::NotFound;
        if (rows[0].text("status") != toString(DeliveryStatus::Failed)) return RetryResult::NotFailed;
        s << "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_index = $2,"
             " lease_owner = '', lease_until = 0, updated_at = $1 WHERE id = $3",
            bind(static_cast<Int64>(nowMs)), bind(finalScheduleIndex), bind(deliveryId), now;
        return RetryResult::Scheduled;
    });
}

}  // namespace smbhub::store
