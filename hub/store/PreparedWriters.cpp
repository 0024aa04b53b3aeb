#include "store/PreparedWriters.h"

#include <algorithm>
#include <set>

#include "store/SqlText.h"

namespace smbhub::store {
namespace {

// Statement heads, completed by one or more rows of placeholders.
const std::string kEventColumns = "INSERT INTO events (id, account_id, type, created_at, test, data) VALUES ";
const std::string kDeliveryColumns =
    "INSERT INTO deliveries (id, event_id, integration_id, account_id, status, attempts, schedule_index,"
    " parts_done, next_attempt_at, created_at, updated_at, lease_owner, lease_until) VALUES ";
const std::string kAttemptColumns =
    "INSERT INTO attempts (id, delivery_id, integration_id, event_id, event_type, attempt, status,"
    " response_status, response_body, error, duration_ms, created_at, next_attempt_at) VALUES ";
const std::string kAttemptConflict = " ON CONFLICT (id) DO NOTHING";
// A lease owner is set only on pending deliveries and cleared by every change of status, so it
// implies `status = 'pending'` (see SqlStore::recordAttempts for why that is not written out).
const char* const kSucceedSet =
    "UPDATE deliveries SET status = 'succeeded', attempts = attempts + 1, lease_owner = '', lease_until = 0,"
    " updated_at = $1";

void bindEvent(HotStatement& s, const Event& e) {
    s.text(e.id).text(e.accountId).text(e.type).integer(e.createdAt).integer(e.test ? 1 : 0).text(e.dataJson);
}

void bindDelivery(HotStatement& s, const Delivery& d) {
    s.text(d.id).text(d.eventId).text(d.integrationId).text(d.accountId).text(std::string(toString(d.status)))
        .integer(d.attempts).integer(d.scheduleIndex).integer(d.partsDone).integer(d.nextAttemptAt).integer(d.createdAt)
        .integer(d.createdAt).text(d.leaseOwner).integer(d.leaseUntil);
}

void bindAttempt(HotStatement& s, const Attempt& a) {
    s.text(a.id).text(a.deliveryId).text(a.integrationId).text(a.eventId).text(a.eventType).integer(a.attempt)
        .text(std::string(toString(a.status)))
        .optionalInteger(a.responseStatus ? std::optional<std::int64_t>(*a.responseStatus) : std::nullopt)
        .optionalText(a.responseBody).optionalText(a.error).integer(a.durationMs).integer(a.createdAt)
        .optionalInteger(a.nextAttemptAt);
}

}  // namespace

PreparedWriters::PreparedWriters(Poco::Data::Session& session, const SqlDialect& dialect)
    : session_(session), batched_(dialect.multiRowWrites()) {}

HotStatement& PreparedWriters::statement(std::unique_ptr<HotStatement>& slot, const std::string& sql) {
    if (!slot) slot = std::make_unique<HotStatement>(session_, sql);
    return *slot;
}

template <typename Row, typename Bind>
void PreparedWriters::insertRows(std::unique_ptr<HotStatement>& perRow, const std::string& head, std::size_t columns,
                                 const std::vector<Row>& rows, Bind bind) {
    if (!batched_) {
        HotStatement& insert = statement(perRow, head + placeholderRows(1, columns, 1));
        for (const Row& row : rows) {
            bind(insert, row);
            insert.execute();
        }
        return;
    }
    for (std::size_t from = 0; from < rows.size(); from += kRowsPerStatement) {
        const std::size_t count = std::min(kRowsPerStatement, rows.size() - from);
        HotStatement insert(session_, head + placeholderRows(count, columns, 1));
        for (std::size_t i = from; i < from + count; ++i) bind(insert, rows[i]);
        insert.execute();
    }
}

void PreparedWriters::insertEvents(const std::vector<Event>& events) {
    insertRows(insertEvent_, kEventColumns, 6, events, bindEvent);
}

void PreparedWriters::insertDeliveries(const std::vector<Delivery>& deliveries) {
    insertRows(insertDelivery_, kDeliveryColumns, 13, deliveries, bindDelivery);
}

bool PreparedWriters::insertAttempt(const Attempt& a) {
    HotStatement& insert = statement(insertAttempt_, kAttemptColumns + placeholderRows(1, 13, 1) + kAttemptConflict);
    bindAttempt(insert, a);
    return insert.execute() > 0;
}

std::vector<bool> PreparedWriters::insertAttempts(const std::vector<const Attempt*>& attempts) {
    std::vector<bool> fresh;
    if (batched_) {
        std::set<std::string> inserted;
        for (std::size_t from = 0; from < attempts.size(); from += kRowsPerStatement) {
            const std::size_t count = std::min(kRowsPerStatement, attempts.size() - from);
            HotStatement insert(session_, kAttemptColumns + placeholderRows(count, 13, 1) + kAttemptConflict +
                                              " RETURNING id");
            for (std::size_t i = from; i < from + count; ++i) bindAttempt(insert, *attempts[i]);
            for (std::string& id : insert.executeReturning()) inserted.insert(std::move(id));
        }
        for (const Attempt* a : attempts) fresh.push_back(inserted.count(a->id) > 0);
        return fresh;
    }
    fresh.reserve(attempts.size());
    for (const Attempt* a : attempts) fresh.push_back(insertAttempt(*a));
    return fresh;
}

std::set<std::string> PreparedWriters::succeedDeliveries(const std::vector<Claim>& claims, std::int64_t now) {
    std::set<std::string> marked;
    if (claims.empty()) return marked;
    if (batched_) {
        // One UPDATE joined to the batch's (id, owner) pairs: each row found by primary key.
        for (std::size_t from = 0; from < claims.size(); from += kRowsPerStatement) {
            const std::size_t count = std::min(kRowsPerStatement, claims.size() - from);
            HotStatement update(session_, std::string(kSucceedSet) + " FROM (VALUES " +
                                              placeholderRows(count, 2, 2) +
                                              ") AS c(id, owner) WHERE deliveries.id = c.id"
                                              " AND deliveries.lease_owner = c.owner RETURNING deliveries.id");
            update.integer(now);
            for (std::size_t i = from; i < from + count; ++i) update.text(claims[i].deliveryId).text(claims[i].leaseOwner);
            for (std::string& id : update.executeReturning()) marked.insert(std::move(id));
        }
        return marked;
    }
    HotStatement& update = statement(succeedDelivery_, std::string(kSucceedSet) + " WHERE id = $2 AND lease_owner = $3");
    for (const Claim& c : claims) {
        if (update.integer(now).text(c.deliveryId).text(c.leaseOwner).execute() > 0) marked.insert(c.deliveryId);
    }
    return marked;
}

void PreparedWriters::tallyIntegration(const IntegrationTally& t) {
    // last_success_at only moves forward (another process may record an older batch later).
    statement(tallyIntegration_,
              "UPDATE integrations SET last_delivery_at = $1, requests_sent = requests_sent + $2,"
              " failed_streak = CASE WHEN $3 = 1 THEN $4 ELSE failed_streak + $4 END,"
              " deliveries_succeeded = deliveries_succeeded + $5, deliveries_failed = deliveries_failed + $6,"
              " last_success_at = CASE WHEN last_success_at IS NULL OR $7 > last_success_at THEN $7"
              " ELSE last_success_at END"
              " WHERE id = $8")
        .integer(t.lastAttemptAt).integer(t.requestsAccepted).integer(t.succeeded ? 1 : 0).integer(t.streak)
        .integer(t.deliveriesSucceeded).integer(t.deliveriesFailed).optionalInteger(t.lastSuccessAt)
        .text(t.integrationId).execute();
}

void PreparedWriters::noteLastError(const std::string& integrationId, std::int64_t at, const std::string& message,
                                    std::optional<int> responseStatus) {
    statement(noteLastError_,
              "UPDATE integrations SET last_error_at = $1, last_error = $2, last_error_status = $3"
              " WHERE id = $4 AND (last_error_at IS NULL OR last_error_at <= $1)")
        .integer(at).text(message)
        .optionalInteger(responseStatus ? std::optional<std::int64_t>(*responseStatus) : std::nullopt)
        .text(integrationId).execute();
}

void PreparedWriters::addHourlyCounts(const std::vector<HourlyCount>& counts) {
    if (counts.empty()) return;
    const std::string head = "INSERT INTO delivery_stats_hourly (integration_id, hour_start, succeeded, failed) VALUES ";
    const std::string upsert = " ON CONFLICT (integration_id, hour_start) DO UPDATE SET"
                               " succeeded = delivery_stats_hourly.succeeded + excluded.succeeded,"
                               " failed = delivery_stats_hourly.failed + excluded.failed";
    const auto bind = [](HotStatement& s, const HourlyCount& c) {
        s.text(c.integrationId).integer(c.hourStart).integer(c.succeeded).integer(c.failed);
    };
    if (!batched_) {
        HotStatement& insert = statement(addHourlyCount_, head + placeholderRows(1, 4, 1) + upsert);
        for (const HourlyCount& c : counts) {
            bind(insert, c);
            insert.execute();
        }
        return;
    }
    // One statement may not touch a row twice: the caller gives each (integration, hour) once.
    for (std::size_t from = 0; from < counts.size(); from += kRowsPerStatement) {
        const std::size_t count = std::min(kRowsPerStatement, counts.size() - from);
        HotStatement insert(session_, head + placeholderRows(count, 4, 1) + upsert);
        for (std::size_t i = from; i < from + count; ++i) bind(insert, counts[i]);
        insert.execute();
    }
}

}  // namespace smbhub::store
