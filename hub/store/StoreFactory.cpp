#include "store/StoreFactory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <cerrno>
#include <cstring>

#include "core/DatabaseUrl.h"

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

std::unique_ptr<SqlStores> openStores(const std::string& url, int poolSize, std::chrono::milliseconds timeout) {
    SqlDatabase::Options options;
    options.timeout = timeout;
    if (core::isPostgresUrl(url)) {
        options.dialect = &SqlDialect::postgres();
        try {
            // Whole seconds, rounded up: libpq's unit.
            const auto seconds = static_cast<int>((timeout.count() + 999) / 1000);
            options.connectionString = core::libpqConnectionString(url, seconds);
        } catch (const std::invalid_argument& e) {
            throw StoreUnavailable(std::string("database.url: ") + e.what());
        }
        options.poolSize = poolSize;
        return std::make_unique<SqlStores>(options);
    }
    const boost::filesystem::path file(core::sqlitePath(url));
    restrictSqliteFiles(file);
    options.dialect = &SqlDialect::sqlite();
    options.connectionString = file.string();
    return std::make_unique<SqlStores>(options);
}

}  // namespace smbhub::store
