// One SQL statement executed many times with new values: the store's hot writes.
//
// On SQLite it is compiled once through the connection's own handle (Poco::Data::SQLite::
// Utility::dbHandle) and then only reset and re-bound: Poco::Data re-compiles a statement's text
// on every execution, which was a quarter of the store's time under load. On PostgreSQL it is
// one PQexecParams on the session's connection (one round trip; Poco::Data makes three per
// statement: prepare, execute, deallocate). Other backends get a Poco::Data statement per run.
//
// Not thread-safe: used under the store's connection lock or within one transaction.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

struct sqlite3_stmt;
struct pg_conn;

namespace smbhub::store {

class HotStatement {
public:
    HotStatement(Poco::Data::Session& session, std::string sql);
    ~HotStatement();
    HotStatement(const HotStatement&) = delete;
    HotStatement& operator=(const HotStatement&) = delete;

    // Values for $1, $2, … in order; placeholders must be numbered in order of appearance.
    HotStatement& text(std::string value);
    HotStatement& integer(std::int64_t value);
    HotStatement& optionalText(const std::optional<std::string>& value);
    HotStatement& optionalInteger(const std::optional<std::int64_t>& value);

    // Runs with the values given since the last run, then forgets them; returns the rows it
    // changed. Throws Poco::Exception.
    std::size_t execute();
    // PostgreSQL only: runs a statement with RETURNING; the first column of every row returned.
    std::vector<std::string> executeReturning();

private:
    using Value = std::variant<std::monostate, std::string, std::int64_t>;

    std::size_t run(std::vector<std::string>* returned);
    std::size_t executeSqlite();
    std::size_t executePostgres(std::vector<std::string>* returned);
    std::size_t executePoco();

    Poco::Data::Session& session_;
    std::string sql_;
    sqlite3_stmt* sqlite_ = nullptr;
    pg_conn* postgres_ = nullptr;  // PGconn, owned by the session
    std::vector<Value> values_;
};

}  // namespace smbhub::store
