#include "support/Postgres.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>

#include "support/ChildProcess.h"

#ifndef SMBHUB_TEST_POSTGRES_STATE
#error "SMBHUB_TEST_POSTGRES_STATE must name the shared test server's state file (tests/CMakeLists.txt)"
#endif
#ifndef SMBHUB_SOURCE_DIR
#error "SMBHUB_SOURCE_DIR must name the source tree (set in tests/CMakeLists.txt)"
#endif

namespace smbhub::test {
namespace {

const std::string kSandbox = std::string(SMBHUB_SOURCE_DIR) + "/tests/postgres/sandbox.sh";

std::map<std::string, std::string> readState(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read PostgreSQL sandbox state " + file);
    std::map<std::string, std::string> values;
    for (std::string line; std::getline(in, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return values;
}

PostgresAddress addressFrom(const std::string& stateFile) {
    const auto state = readState(stateFile);
    const auto port = state.find("PORT");
    if (port == state.end()) throw std::runtime_error(stateFile + " names no PORT");
    PostgresAddress address;
    address.port = std::stoi(port->second);
    return address;
}

std::unique_ptr<Poco::Data::Session> connect(const PostgresAddress& server, const std::string& database) {
    static const bool registered = [] {
        Poco::Data::PostgreSQL::Connector::registerConnector();
        return true;
    }();
    (void)registered;
    try {
        return std::make_unique<Poco::Data::Session>("postgresql", server.conninfo(database));
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot connect to PostgreSQL " + server.url(database) + ": " + e.displayText());
    }
}

std::string uniqueName() {
    static std::atomic<int> sequence{0};
    std::random_device random;
    return "smbhub_t" + std::to_string(random() % 1000000000) + "_" + std::to_string(++sequence);
}

}  // namespace

Backend backendUnderTest() {
    const char* value = std::getenv("SMBHUB_TEST_BACKEND");
    const std::string name = value ? value : "";
    if (name.empty() || name == "sqlite") return Backend::Sqlite;
    if (name == "postgres") return Backend::Postgres;
    throw std::runtime_error("SMBHUB_TEST_BACKEND must be sqlite or postgres, not \"" + name + "\"");
}

std::string backendName(Backend backend) { return backend == Backend::Postgres ? "postgres" : "sqlite"; }

std::string PostgresAddress::url(const std::string& database) const {
    return "postgresql://" + user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

std::string PostgresAddress::conninfo(const std::string& database) const {
    return "host=" + host + " port=" + std::to_string(port) + " user=" + user + " dbname=" + database +
           " connect_timeout=5";
}

PostgresAddress sharedPostgres() {
    const char* file = std::getenv("SMBHUB_TEST_POSTGRES");
    const std::string state = file && *file ? file : SMBHUB_TEST_POSTGRES_STATE;
    if (!std::filesystem::exists(state)) {
        throw std::runtime_error("no PostgreSQL test server (" + state +
                                 " is missing): run the tests through ctest (its `postgres` fixture starts one), "
                                 "or start one with `tests/postgres/sandbox.sh start " + state + "`");
    }
    return addressFrom(state);
}

ScratchDatabase::ScratchDatabase(PostgresAddress server) : server_(std::move(server)), name_(uniqueName()) {
    auto admin = connect(server_, "postgres");
    *admin << "CREATE DATABASE " + name_, Poco::Data::Keywords::now;
}

ScratchDatabase::~ScratchDatabase() {
    try {
        auto admin = connect(server_, "postgres");
        *admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", Poco::Data::Keywords::now;
    } catch (...) {
        // The server goes at the end of the run anyway, with everything on it.
    }
}

PostgresServer::PostgresServer() : dir_("smbhub-pgstate"), stateFile_(dir_.file("server.env")) {
    sandbox("start");
    address_ = addressFrom(stateFile_);
}

PostgresServer::~PostgresServer() {
    try {
        sandbox("stop");
    } catch (...) {
        // Nothing more to do in a destructor; the folder is in /tmp.
    }
}

void PostgresServer::sandbox(const std::string& command) {
    const CommandResult result = ChildProcess::run(kSandbox, {command, stateFile_}, std::chrono::seconds(90));
    if (result.exitCode != 0) {
        throw std::runtime_error("tests/postgres/sandbox.sh " + command + " failed: " + result.describe());
    }
}

void PostgresServer::restart() { sandbox("restart"); }
void PostgresServer::stop() { sandbox("down"); }
void PostgresServer::start() { sandbox("up"); }
void PostgresServer::freeze() { sandbox("freeze"); }
void PostgresServer::thaw() { sandbox("thaw"); }

PostgresDatabase::PostgresDatabase(const PostgresAddress& server, const std::string& database)
    : session_(connect(server, database)) {}

PostgresDatabase::~PostgresDatabase() = default;

int PostgresDatabase::execute(const std::string& sql) {
    try {
        Poco::Data::Statement statement(*session_);
        statement << sql;
        return static_cast<int>(statement.execute());
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("PostgresDatabase: `" + sql + "` failed: " + e.displayText());
    }
}

std::vector<std::vector<std::string>> PostgresDatabase::query(const std::string& sql) {
    try {
        Poco::Data::Statement statement(*session_);
        statement << sql, Poco::Data::Keywords::now;
        Poco::Data::RecordSet rs(statement);
        std::vector<std::vector<std::string>> rows;
        for (std::size_t r = 0; r < rs.rowCount(); ++r) {
            std::vector<std::string> row;
            for (std::size_t c = 0; c < rs.columnCount(); ++c) {
                row.push_back(rs.isNull(c, r) ? std::string() : rs.value(c, r).convert<std::string>());
            }
            rows.push_back(std::move(row));
        }
        return rows;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("PostgresDatabase: `" + sql + "` failed: " + e.displayText());
    }
}

}  // namespace smbhub::test
