#include "store/SqlDialect.h"

#include "store/RecordRows.h"
#include "store/SqlText.h"

namespace smbhub::store {
namespace {

// Due, not leased, of an active integration (`i`) not excluded: the deliveries row `alias`, with
// now at $first and the excluded ids from $first + 1.
std::string dueCondition(const std::string& alias, std::size_t first, std::size_t excluded) {
    // Appended rather than `"$" + std::to_string(first)`: GCC 12 at -O3 (Release) inlines that
    // operator+ into an insert at offset 0 and reports a memcpy overlap that cannot happen
    // (-Wrestrict), which breaks a build with warnings as errors.
    std::string now = "$";
    now += std::to_string(first);
    std::string sql = alias + ".status = 'pending' AND " + alias + ".next_attempt_at <= " + now + " AND " + alias +
                      ".lease_until < " + now + " AND i.status = 'active'";
    if (excluded > 0) sql += " AND " + alias + ".integration_id NOT IN " + placeholderRows(1, excluded, first + 1);
    return sql;
}

std::string placeholder(std::size_t n) {
    std::string out = "$";
    out += std::to_string(n);
    return out;
}

}  // namespace

const SqlDialect& SqlDialect::sqlite() {
    static const SqlDialect dialect(Kind::Sqlite);
    return dialect;
}

const SqlDialect& SqlDialect::postgres() {
    static const SqlDialect dialect(Kind::Postgres);
    return dialect;
}

SqlDialect::ClaimSql SqlDialect::claimDue(std::size_t excluded) const {
    ClaimSql sql;
    const std::string columns = claimedDeliveryColumns();
    if (kind_ == Kind::Sqlite) {
        sql.select = "SELECT " + columns +
                     " FROM deliveries d JOIN integrations i ON i.id = d.integration_id"
                     " JOIN events e ON e.id = d.event_id WHERE " +
                     dueCondition("d", 1, excluded) + " ORDER BY d.next_attempt_at LIMIT " + placeholder(excluded + 2);
        return sql;
    }
    // The claim must walk the queue index in order and stop after `limit` rows. With statistics
    // taken when little was pending (a quiet hour, a fresh database), the planner may instead
    // join every pending row and sort them: measured at 200+ ms a claim with 30,000 pending,
    // against 1.5 ms. For this transaction only, sorts, hash and merge joins and bitmap scans
    // are made a last resort.
    sql.setup.push_back(
        "SELECT set_config('enable_sort', 'off', true), set_config('enable_hashjoin', 'off', true),"
        " set_config('enable_mergejoin', 'off', true), set_config('enable_bitmapscan', 'off', true)");
    // One statement locks the oldest due rows (skipping rows another process holds), leases them
    // and returns what is needed to send them.
    sql.select = "UPDATE deliveries d SET lease_owner = $1, lease_until = $2 FROM (SELECT q.id FROM deliveries q"
                 " JOIN integrations i ON i.id = q.integration_id WHERE " +
                 dueCondition("q", 3, excluded) + " ORDER BY q.next_attempt_at LIMIT " + placeholder(excluded + 4) +
                 " FOR UPDATE OF q SKIP LOCKED) due, events e WHERE d.id = due.id AND e.id = d.event_id"
                 " RETURNING " + columns;
    sql.leasesRows = true;
    return sql;
}

}  // namespace smbhub::store
