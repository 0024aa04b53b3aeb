// What differs between the two databases the hub runs on, in one object instead of branches
// through the stores: SQLite (one file, one process, one connection) and PostgreSQL (a server
// several hub processes share). The stores' SQL is otherwise written once, with `$N`
// placeholders numbered in order of first appearance (SQLite binds them by position,
// PostgreSQL by number).
//
// A value with two instances; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace smbhub::store {

class SqlDialect {
public:
    enum class Kind { Sqlite, Postgres };

    static const SqlDialect& sqlite();
    static const SqlDialect& postgres();

    Kind kind() const { return kind_; }
    // Poco::Data's connector name.
    const char* connector() const { return kind_ == Kind::Sqlite ? "sqlite" : "postgresql"; }
    // One process owns the database (SQLite): its caches see every change, and at start-up the
    // leases a crashed predecessor left are its own to release.
    bool singleProcess() const { return kind_ == Kind::Sqlite; }
    // Writes of many rows go as one statement per batch (PostgreSQL: every statement is a round
    // trip) rather than one prepared statement run per row (SQLite: a local call).
    bool multiRowWrites() const { return kind_ == Kind::Postgres; }

    // Claiming due deliveries (the oldest first, skipping integrations at their in-flight
    // limit): the statements to run, in order. With `leasesRows` (PostgreSQL) `select` is one
    // locking UPDATE … RETURNING that leases the rows as it returns them (values: owner, lease
    // until, now, the excluded ids, the limit); without (SQLite, under the one connection's
    // lock) it only reads them (values: now, the excluded ids, the limit) and the caller leases
    // them by id. Both return the columns of claimedDeliveryColumns().
    struct ClaimSql {
        std::vector<std::string> setup;  // run first, without values
        std::string select;
        bool leasesRows = false;
    };
    ClaimSql claimDue(std::size_t excludedIntegrations) const;

private:
    explicit SqlDialect(Kind kind) : kind_(kind) {}
    Kind kind_;
};

}  // namespace smbhub::store
