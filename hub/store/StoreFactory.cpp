#include "store/StoreFactory.h"

#include <boost/filesystem.hpp>

namespace smbhub::store {

bool isSqliteUrl(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

std::string sqlitePath(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

std::unique_ptr<SqlStore> openStore(const config::DatabaseConfig& database) {
    if (!isSqliteUrl(database.url)) {
        throw StoreUnavailable("this build of smb-hub supports sqlite: database URLs only; "
                               "PostgreSQL support is not part of it yet");
    }
    const boost::filesystem::path file(sqlitePath(database.url));
    if (file.has_parent_path()) boost::filesystem::create_directories(file.parent_path());
    SqlStoreOptions options;
    options.dialect = SqlDialect::Sqlite;
    options.connector = "sqlite";
    options.connectionString = file.string();
    return std::make_unique<SqlStore>(options);
}

}  // namespace smbhub::store
