#include "store/StoreFactory.h"

#include <boost/filesystem.hpp>

#include "store/PostgresUrl.h"

namespace smbhub::store {

bool isSqliteUrl(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

std::string sqlitePath(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

std::unique_ptr<SqlStore> openStore(const config::DatabaseConfig& database) {
    SqlStoreOptions options;
    if (isPostgresUrl(database.url)) {
        options.dialect = SqlDialect::Postgres;
        options.connector = "postgresql";
        try {
            // Whole seconds, rounded up: libpq's unit.
            const auto seconds = static_cast<int>((database.timeout.count() + 999) / 1000);
            options.connectionString = libpqConnectionString(database.url, seconds);
        } catch (const std::invalid_argument& e) {
            throw StoreUnavailable(std::string("database.url: ") + e.what());
        }
        options.poolSize = database.poolSize;
        options.timeout = database.timeout;
        return std::make_unique<SqlStore>(options);
    }
    const boost::filesystem::path file(sqlitePath(database.url));
    if (file.has_parent_path()) boost::filesystem::create_directories(file.parent_path());
    options.dialect = SqlDialect::Sqlite;
    options.connector = "sqlite";
    options.connectionString = file.string();
    options.timeout = database.timeout;
    return std::make_unique<SqlStore>(options);
}

}  // namespace smbhub::store
