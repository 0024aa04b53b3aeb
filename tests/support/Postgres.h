// PostgreSQL for the tests: which backend a test run is for, the server CTest starts for the
// whole run (tests/postgres/sandbox.sh as the `postgres` fixture), a scratch database per test on
// it, a server of a test's own (to restart it), and SQL access to any of them.
//
// The backend comes from SMBHUB_TEST_BACKEND ("sqlite", the default, or "postgres"), set per
// test by tests/CMakeLists.txt; the shared server from the state file the fixture writes in the
// build folder (SMBHUB_TEST_POSTGRES names another). Without a server, the error says how to
// start one.
//
// Thread-safety: the functions and PostgresAddress (a value) are safe from any thread; a
// ScratchDatabase, PostgresServer or PostgresDatabase has one owner and is not thread-safe.
#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <string>
#include <vector>

#include "support/TempDir.h"
#include "support/TestDatabase.h"

namespace smbhub::test {

enum class Backend { Sqlite, Postgres };

Backend backendUnderTest();
std::string backendName(Backend backend);

// Where a PostgreSQL server listens, and URLs / libpq strings for its databases.
struct PostgresAddress {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string user = "postgres";

    std::string url(const std::string& database) const;       // postgresql://user@host:port/db
    std::string conninfo(const std::string& database) const;  // host=… port=… user=… dbname=…
};

// The server shared by the run. Throws std::runtime_error explaining how to get one.
PostgresAddress sharedPostgres();

// A database of its own for one test, created empty and dropped (connections and all) when it
// goes.
class ScratchDatabase {
public:
    explicit ScratchDatabase(PostgresAddress server = sharedPostgres());
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    const std::string& name() const { return name_; }
    std::string url() const { return server_.url(name_); }
    const PostgresAddress& server() const { return server_; }

private:
    PostgresAddress server_;
    std::string name_;
};

// A server of the test's own, for what must not disturb other tests (restarting, stopping or
// freezing it). The destructor stops it (thawing it first) and deletes it.
class PostgresServer {
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    const PostgresAddress& address() const { return address_; }
    // Fast shutdown (every client connection is cut), then a start on the same port.
    void restart();
    // Fast shutdown, keeping the data (an outage); start() brings it back on the same port.
    void stop();
    void start();
    // SIGSTOP / SIGCONT the server and its backends: a server that hangs while its kernel still
    // accepts and acknowledges connections.
    void freeze();
    void thaw();

private:
    void sandbox(const std::string& command);

    TempDir dir_;
    std::string stateFile_;
    PostgresAddress address_;
};

// SQL on one PostgreSQL database through Poco::Data.
class PostgresDatabase final : public TestDatabase {
public:
    PostgresDatabase(const PostgresAddress& server, const std::string& database);
    ~PostgresDatabase() override;
    int execute(const std::string& sql) override;
    std::vector<std::vector<std::string>> query(const std::string& sql) override;

private:
    std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace smbhub::test
