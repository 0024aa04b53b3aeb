#include "store/StoreFactory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <cerrno>
#include <cstring>

#include "store/PostgresUrl.h"

namespace smbhub::store {
namespace {

// The database holds customers' leads: only the hub's user may read it (SPEC §13). SQLite gives
// its -wal and -shm files the database file's mode, so creating that file 0600 before SQLite
// does is enough for new databases; files of an existing one are tightened.
void restrictSqliteFiles(const boost::filesystem::path& file) {
    if (file.has_parent_path() && !boost::filesystem::exists(file.parent_path())) {
        boost::filesystem::create_directories(file.parent_path());
        ::chmod(file.parent_path().c_str(), 0700);
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw StoreUnavailable("cannot create the SQLite database " + file.string() + ": " + std::strerror(errno));
    }
    ::close(fd);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string path = file.string() + suffix;
        struct stat info {};
        if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 0077) != 0) ::chmod(path.c_str(), 0600);
    }
}

}  // namespace

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
    restrictSqliteFiles(file);
    options.dialect = SqlDialect::Sqlite;
    options.connector = "sqlite";
    options.connectionString = file.string();
    options.timeout = database.timeout;
    return std::make_unique<SqlStore>(options);
}

}  // namespace smbhub::store
