#include "store/HotStatement.h"

#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <memory>

using namespace Poco::Data::Keywords;

namespace smbhub::store {
namespace {

// How much of a statement an error message quotes (multi-row statements run long).
constexpr std::size_t kSqlInErrors = 200;

}  // namespace

HotStatement::HotStatement(Poco::Data::Session& session, std::string sql)
    : session_(session), sql_(std::move(sql)) {
    if (auto* pg = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_.impl())) {
        postgres_ = static_cast<PGconn*>(pg->handle());
        return;
    }
    if (session_.connector() != "sqlite") return;
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session_);
    const int rc = sqlite3_prepare_v3(db, sql_.c_str(), static_cast<int>(sql_.size()), SQLITE_PREPARE_PERSISTENT,
                                      &sqlite_, nullptr);
    if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(db, rc, sql_);
}

HotStatement::~HotStatement() {
    if (sqlite_) sqlite3_finalize(sqlite_);
}

HotStatement& HotStatement::text(std::string value) {
    values_.emplace_back(std::move(value));
    return *this;
}

HotStatement& HotStatement::integer(std::int64_t value) {
    values_.emplace_back(value);
    return *this;
}

HotStatement& HotStatement::optionalText(const std::optional<std::string>& value) {
    if (value) return text(*value);
    values_.emplace_back(std::monostate{});
    return *this;
}

HotStatement& HotStatement::optionalInteger(const std::optional<std::int64_t>& value) {
    if (value) return integer(*value);
    values_.emplace_back(std::monostate{});
    return *this;
}

std::size_t HotStatement::execute() { return run(nullptr); }

std::vector<std::string> HotStatement::executeReturning() {
    if (!postgres_) throw Poco::NotImplementedException("HotStatement::executeReturning is for PostgreSQL");
    std::vector<std::string> returned;
    run(&returned);
    return returned;
}

std::size_t HotStatement::run(std::vector<std::string>* returned) {
    std::size_t changed = 0;
    try {
        changed = sqlite_ ? executeSqlite() : postgres_ ? executePostgres(returned) : executePoco();
    } catch (...) {
        values_.clear();
        throw;
    }
    values_.clear();
    return changed;
}

std::size_t HotStatement::executeSqlite() {
    sqlite3* db = sqlite3_db_handle(sqlite_);
    int index = 1;
    for (const Value& value : values_) {
        int rc = SQLITE_OK;
        if (const auto* s = std::get_if<std::string>(&value)) {
            rc = sqlite3_bind_text(sqlite_, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            rc = sqlite3_bind_int64(sqlite_, index, *i);
        } else {
            rc = sqlite3_bind_null(sqlite_, index);
        }
        if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(db, rc, sql_);
        ++index;
    }
    const int rc = sqlite3_step(sqlite_);
    sqlite3_reset(sqlite_);
    sqlite3_clear_bindings(sqlite_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) Poco::Data::SQLite::Utility::throwException(db, rc, sql_);
    return static_cast<std::size_t>(sqlite3_changes(db));
}

std::size_t HotStatement::executePostgres(std::vector<std::string>* returned) {
    // Values as text, types inferred by the server from the statement (as Poco::Data does). The
    // texts are all made before any pointer into them is taken.
    std::vector<std::string> texts;
    texts.reserve(values_.size());
    std::vector<const char*> pointers;
    pointers.reserve(values_.size());
    for (const Value& value : values_) {
        if (const auto* s = std::get_if<std::string>(&value)) {
            texts.push_back(*s);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            texts.push_back(std::to_string(*i));
        } else {
            texts.emplace_back();
        }
    }
    for (std::size_t i = 0; i < values_.size(); ++i) {
        pointers.push_back(std::holds_alternative<std::monostate>(values_[i]) ? nullptr : texts[i].c_str());
    }
    const std::unique_ptr<PGresult, void (*)(PGresult*)> result(
        PQexecParams(postgres_, sql_.c_str(), static_cast<int>(pointers.size()), nullptr, pointers.data(), nullptr,
                     nullptr, 0),
        PQclear);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw Poco::Data::PostgreSQL::StatementException(std::string(PQerrorMessage(postgres_)) + " [" +
                                                         sql_.substr(0, kSqlInErrors) + "]");
    }
    if (returned) {
        for (int row = 0; row < PQntuples(result.get()); ++row) returned->emplace_back(PQgetvalue(result.get(), row, 0));
    }
    return static_cast<std::size_t>(std::strtoull(PQcmdTuples(result.get()), nullptr, 10));
}

std::size_t HotStatement::executePoco() {
    Poco::Data::Statement statement(session_);
    statement << sql_;
    for (const Value& value : values_) {
        if (const auto* s = std::get_if<std::string>(&value)) {
            statement, bind(*s);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            statement, bind(static_cast<Poco::Int64>(*i));
        } else {
            statement, bind(Poco::Nullable<std::string>());
        }
    }
    return statement.execute();
}

}  // namespace smbhub::store
