// Direct access to the hub's SQLite database file, for the few states a test cannot reach
// through the REST API in reasonable time or at all (an OAuth state past its ten minutes, an
// integration of a provider that the API refuses to create). It edits the data the way a second
// process would: the hub is not changed or told.
//
// libsqlite3 is loaded at run time (Poco::SharedLibrary): the hub itself links it for its
// embedded database, so it is present wherever the hub runs, and the test support library needs
// no extra link dependency. Not thread-safe (one owner); other processes may use the file at the
// same time (a busy timeout waits for their locks).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/TestDatabase.h"

namespace smbhub::test {

class SqliteFile final : public TestDatabase {
public:
    // Opens an existing database file read-write. Throws std::runtime_error when it cannot.
    explicit SqliteFile(const std::string& path);
    ~SqliteFile() override;
    SqliteFile(const SqliteFile&) = delete;
    SqliteFile& operator=(const SqliteFile&) = delete;

    // Runs one or more statements; returns the rows changed by the last one. Throws
    // std::runtime_error with SQLite's message on failure.
    int execute(const std::string& sql) override;
    // Runs a query; every row as text values in column order (NULL as "").
    std::vector<std::vector<std::string>> query(const std::string& sql) override;

private:
    struct Api;
    std::shared_ptr<const Api> api_;
    void* db_ = nullptr;  // sqlite3*
};

}  // namespace smbhub::test
