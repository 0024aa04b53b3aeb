#include "store/SqlDeliveryQueue.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

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

constexpr std::int64_t kHour = 3600 * 1000;
// Hourly stats are read for the last 24 hours; older ones are deleted after two days.
constexpr std::int64_t kHourlyStatsKept = 48 * kHour;

// What one batch of outcomes changes on one integration.
struct IntegrationTally {
    std::int64_t lastAttemptAt = 0;
    int requestsAccepted = 0;
    bool succeeded = false;         // some delivery succeeded: the failure streak restarts
    int exhaustedSinceSuccess = 0;  // exhausted deliveries after the batch's last success
    std::string disableReason;
    int deliveriesSucceeded = 0;    // deliveries this batch moved to succeeded / failed
    int deliveriesFailed = 0;
    std::optional<std::int64_t> lastSuccessAt;
    const Attempt* lastError = nullptr;  // the batch's latest attempt that did not succeed
};

// `moved`: the deliveries whose state the batch changed (their lease was still held).
std::map<std::string, IntegrationTally> tally(const std::vector<const AttemptOutcome*>& outcomes,
                                              const std::set<std::string>& moved) {
    std::map<std::string, IntegrationTally> out;
    for (const AttemptOutcome* outcome : outcomes) {
        const AttemptOutcome& o = *outcome;
        const Attempt& a = o.attempt;
        IntegrationTally& t = out[a.integrationId];
        t.lastAttemptAt = std::max(t.lastAttemptAt, a.createdAt);
        t.requestsAccepted += o.requestsAccepted;
        if (o.deliveryStatus == DeliveryStatus::Succeeded) {
            t.succeeded = true;
            t.exhaustedSinceSuccess = 0;
            t.lastSuccessAt = std::max(t.lastSuccessAt.value_or(a.createdAt), a.createdAt);
        } else if (o.deliveryExhausted) {
            ++t.exhaustedSinceSuccess;
        }
        if (a.status != AttemptStatus::Succeeded && (!t.lastError || a.createdAt >= t.lastError->createdAt)) {
            t.lastError = &a;
        }
        if (moved.count(a.deliveryId)) {
            if (o.deliveryStatus == DeliveryStatus::Succeeded) ++t.deliveriesSucceeded;
            if (o.deliveryStatus == DeliveryStatus::Failed) ++t.deliveriesFailed;
        }
        if (!o.disableReason.empty()) t.disableReason = o.disableReason;
    }
    return out;
}

// Deliveries the batch ended, by integration and the hour they ended in.
std::vector<PreparedWriters::HourlyCount> hourlyCounts(const std::vector<const AttemptOutcome*>& outcomes,
                                                       const std::set<std::string>& moved) {
    std::map<std::pair<std::string, std::int64_t>, PreparedWriters::HourlyCount> byHour;
    for (const AttemptOutcome* o : outcomes) {
        const bool ended = o->deliveryStatus == DeliveryStatus::Succeeded || o->deliveryStatus == DeliveryStatus::Failed;
        if (!ended || !moved.count(o->attempt.deliveryId)) continue;
        const std::int64_t hour = o->attempt.createdAt / kHour * kHour;
        PreparedWriters::HourlyCount& c = byHour[{o->attempt.integrationId, hour}];
        c.integrationId = o->attempt.integrationId;
        c.hourStart = hour;
        if (o->deliveryStatus == DeliveryStatus::Succeeded) ++c.succeeded;
        else ++c.failed;
    }
    std::vector<PreparedWriters::HourlyCount> out;
    out.reserve(byHour.size());
    for (auto& [key, count] : byHour) out.push_back(std::move(count));
    return out;
}

// What the log shows of an attempt that did not succeed: its error, else its HTTP status.
std::string errorMessage(const Attempt& a) {
    if (a.error && !a.error->empty()) return *a.error;
    if (a.responseStatus) return "HTTP " + std::to_string(*a.responseStatus);
    return "failed";
}

// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, int percent) {
    const std::size_t rank = (sorted.size() * static_cast<std::size_t>(percent) + 99) / 100;
    return sorted[std::max<std::size_t>(rank, 1) - 1];
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
        std::set<std::string> moved;  // deliveries whose state this batch changed
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
            moved = writers.succeedDeliveries(succeeded, nowMs);
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
            Statement update(s);
            update << "UPDATE deliveries SET status = $1, attempts = $2, schedule_index = $3,"
                      " parts_done = $4, next_attempt_at = $5, lease_owner = '', lease_until = 0,"
                      " updated_at = $6 WHERE id = $7 AND lease_owner = $8",
                bind(std::string(toString(o.deliveryStatus))), bind(a.attempt), bind(o.scheduleIndex),
                bind(o.partsDone), bind(static_cast<Int64>(o.nextAttemptAt)), bind(static_cast<Int64>(a.createdAt)),
                bind(a.deliveryId), bind(o.leaseOwner);
            if (update.execute() > 0) moved.insert(a.deliveryId);
        }
        const std::string streakReason = "disabled after " + std::to_string(disableAfterFailedDeliveries) +
                                         " consecutive deliveries failed every attempt";
        const auto tallies = tally(fresh, moved);
        db_.withWriters(s, [&](PreparedWriters& writers) {
            for (const auto& [integrationId, t] : tallies) {
                writers.tallyIntegration({integrationId, t.lastAttemptAt, t.requestsAccepted, t.succeeded,
                                          t.exhaustedSinceSuccess, t.deliveriesSucceeded, t.deliveriesFailed,
                                          t.lastSuccessAt});
                if (t.lastError) {
                    writers.noteLastError(integrationId, t.lastError->createdAt, errorMessage(*t.lastError),
                                          t.lastError->responseStatus);
                }
            }
            writers.addHourlyCounts(hourlyCounts(fresh, moved));
        });
        if (const std::int64_t hour = nowMs / kHour; prunedHour_.exchange(hour) != hour) {
            s << "DELETE FROM delivery_stats_hourly WHERE hour_start < $1",
                bind(static_cast<Int64>(nowMs - kHourlyStatsKept)), now;
        }
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

QueueSummary SqlDeliveryQueue::summary(std::int64_t nowMs) {
    return db_.read(Caller::Engine, [&](Session& s) {
        QueueSummary out;
        Statement count(s);
        count << "SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'", now;
        for (const Row& row : Rows(count)) out.pending = row.integer("n");
        // Walks the pending index from its oldest entry to the first of an active integration.
        Statement oldest(s);
        oldest << "SELECT d.next_attempt_at AS due FROM deliveries d JOIN integrations i ON i.id = d.integration_id"
                  " WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND i.status = 'active'"
                  " ORDER BY d.next_attempt_at LIMIT 1",
            bind(static_cast<Int64>(nowMs)), now;
        for (const Row& row : Rows(oldest)) out.oldestDueAt = row.integer("due");
        return out;
    });
}

namespace {

// " FOR UPDATE … SKIP LOCKED" on PostgreSQL: concurrent retention runs take different rows.
std::string skipLocked(const SqlDatabase& db, const std::string& of = "") {
    if (db.dialect().kind() != SqlDialect::Kind::Postgres) return "";
    return " FOR UPDATE" + (of.empty() ? "" : " OF " + of) + " SKIP LOCKED";
}

}  // namespace

std::size_t SqlDeliveryQueue::deleteAttemptsBefore(std::int64_t before, int limit) {
    return db_.write(Caller::Engine, [&](Session& s) {
        Statement remove(s);
        remove << "DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE created_at < $1 LIMIT $2"
               << skipLocked(db_) << ")",
            bind(static_cast<Int64>(before)), bind(limit);
        return remove.execute();
    });
}

std::size_t SqlDeliveryQueue::deleteIdempotencyKeysBefore(std::int64_t before, int limit) {
    return db_.write(Caller::Engine, [&](Session& s) {
        Statement remove(s);
        // The table's key is (account_id, idem_key); SQLite's rowid and PostgreSQL's ctid name a
        // row without repeating it.
        const bool postgres = db_.dialect().kind() == SqlDialect::Kind::Postgres;
        const std::string row = postgres ? "ctid" : "rowid";
        remove << "DELETE FROM idempotency_keys WHERE " << row << " IN (SELECT " << row
               << " FROM idempotency_keys WHERE created_at < $1 LIMIT $2" << skipLocked(db_) << ")",
            bind(static_cast<Int64>(before)), bind(limit);
        return remove.execute();
    });
}

EventsDeleted SqlDeliveryQueue::deleteEventsBefore(std::int64_t before, int limit, EventCursor& cursor) {
    return db_.write(Caller::Engine, [&](Session& s) {
        EventsDeleted out;
        Statement select(s);
        // Oldest first, after the cursor, only events with no pending delivery (a pending one
        // keeps its event: it is still to be sent).
        select << "SELECT e.id AS id, e.created_at AS created_at FROM events e"
                  " WHERE e.created_at < $1 AND (e.created_at > $2 OR (e.created_at = $2 AND e.id > $3))"
                  " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status = 'pending')"
                  " ORDER BY e.created_at, e.id LIMIT $4"
               << skipLocked(db_, "e"),
            bind(static_cast<Int64>(before)), bind(static_cast<Int64>(cursor.createdAt)), bind(cursor.id), bind(limit),
            now;
        std::vector<std::string> ids;
        for (const Row& row : Rows(select)) {
            ids.push_back(row.text("id"));
            cursor = {row.integer("created_at"), ids.back()};
        }
        out.examined = ids.size();
        if (ids.empty()) return out;
        const std::string in = placeholderRows(1, ids.size(), 1);
        // A delivery that became pending meanwhile (retried by hand) keeps its event: the
        // deliveries' and the events' deletes re-check it.
        Statement attempts(s);
        attempts << "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN " << in
                 << " AND status <> 'pending')";
        for (const auto& id : ids) attempts, bind(id);
        out.attempts = attempts.execute();
        Statement deliveries(s);
        deliveries << "DELETE FROM deliveries WHERE event_id IN " << in << " AND status <> 'pending'";
        for (const auto& id : ids) deliveries, bind(id);
        out.deliveries = deliveries.execute();
        Statement events(s);
        events << "DELETE FROM events WHERE id IN " << in
               << " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)";
        for (const auto& id : ids) events, bind(id);
        out.events = events.execute();
        return out;
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

DeliveryStats SqlDeliveryQueue::stats(const std::string& integrationId, std::int64_t nowMs) {
    const Int64 since = nowMs / kHour * kHour - 23 * kHour;  // the current hour and the 23 before
    return db_.read(Caller::Api, [&](Session& s) {
        DeliveryStats stats;
        {
            Statement select(s);
            select << "SELECT deliveries_succeeded, deliveries_failed, last_success_at, last_error_at, last_error,"
                      " last_error_status FROM integrations WHERE id = $1",
                bind(integrationId), now;
            const Rows rows(select);
            if (rows.empty()) return stats;
            const Row row = rows[0];
            stats.succeeded = row.integer("deliveries_succeeded");
            stats.failed = row.integer("deliveries_failed");
            stats.lastSuccessAt = row.optionalInteger("last_success_at");
            if (const auto at = row.optionalInteger("last_error_at")) {
                DeliveryStats::LastError error;
                error.at = *at;
                error.message = row.text("last_error");
                if (const auto status = row.optionalInteger("last_error_status")) {
                    error.responseStatus = static_cast<int>(*status);
                }
                stats.lastError = std::move(error);
            }
        }
        {
            // At most 24 rows, by primary key.
            Statement select(s);
            select << "SELECT COALESCE(SUM(succeeded), 0) AS succeeded, COALESCE(SUM(failed), 0) AS failed"
                      " FROM delivery_stats_hourly WHERE integration_id = $1 AND hour_start >= $2",
                bind(integrationId), bind(since), now;
            const Rows rows(select);
            stats.last24h.succeeded = rows[0].integer("succeeded");
            stats.last24h.failed = rows[0].integer("failed");
        }
        {
            // The pending part of deliveries_integration: as long as the integration's backlog.
            Statement select(s);
            select << "SELECT COUNT(*) AS pending, COALESCE(SUM(CASE WHEN created_at >= $1 THEN 1 ELSE 0 END), 0)"
                      " AS recent FROM deliveries WHERE integration_id = $2 AND status = 'pending'",
                bind(since), bind(integrationId), now;
            const Rows rows(select);
            stats.pending = rows[0].integer("pending");
            stats.last24h.pending = rows[0].integer("recent");
        }
        {
            // The latest attempts by attempts_integration (integration_id, created_at), newest
            // first: a bounded sample however long the log is.
            Statement select(s);
            select << "SELECT duration_ms FROM attempts WHERE integration_id = $1 AND created_at >= $2"
                      " ORDER BY created_at DESC LIMIT $3",
                bind(integrationId), bind(since), bind(DeliveryStats::kDurationSample), now;
            std::vector<std::int64_t> durations = Rows(select).map([](const Row& row) { return row.integer("duration_ms"); });
            if (!durations.empty()) {
                std::sort(durations.begin(), durations.end());
                stats.p50Ms = percentile(durations, 50);
                stats.p95Ms = percentile(durations, 95);
            }
        }
        stats.total = stats.pending + stats.succeeded + stats.failed;
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
        uncountFailed(s, integrationId, 1);
        return RetryResult::Scheduled;
    });
}

ReplayResult SqlDeliveryQueue::replayFailed(const std::string& integrationId, std::int64_t since, std::int64_t until,
                                            std::int64_t nowMs, int finalScheduleIndex, std::int64_t maxDeliveries) {
    return db_.write(Caller::Api, [&](Session& s) {
        ReplayResult result;
        {
            // Counted by deliveries_integration (integration_id, status, created_at), stopping
            // one past the bound.
            Statement count(s);
            count << "SELECT COUNT(*) AS n FROM (SELECT 1 FROM deliveries WHERE integration_id = $1"
                     " AND status = 'failed' AND created_at >= $2 AND created_at < $3 LIMIT $4) AS w",
                bind(integrationId), bind(static_cast<Int64>(since)), bind(static_cast<Int64>(until)),
                bind(static_cast<Int64>(maxDeliveries + 1)), now;
            if (Rows(count)[0].integer("n") > maxDeliveries) {
                result.tooMany = true;
                return result;
            }
        }
        Statement replay(s);
        replay << "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, schedule_index = $2,"
                  " lease_owner = '', lease_until = 0, updated_at = $3"
                  " WHERE integration_id = $4 AND status = 'failed' AND created_at >= $5 AND created_at < $6",
            bind(static_cast<Int64>(nowMs)), bind(finalScheduleIndex), bind(static_cast<Int64>(nowMs)),
            bind(integrationId), bind(static_cast<Int64>(since)), bind(static_cast<Int64>(until));
        result.replayed = static_cast<std::int64_t>(replay.execute());
        uncountFailed(s, integrationId, result.replayed);
        return result;
    });
}

void SqlDeliveryQueue::uncountFailed(Session& s, const std::string& integrationId, std::int64_t count) {
    if (count == 0) return;
    s << "UPDATE integrations SET deliveries_failed = CASE WHEN deliveries_failed > $1 THEN deliveries_failed - $1"
         " ELSE 0 END WHERE id = $2",
        bind(static_cast<Int64>(count)), bind(integrationId), now;
}

}  // namespace smbhub::store
