#include "support/SqliteFile.h"

#include <Poco/Exception.h>
#include <Poco/SharedLibrary.h>

#include <mutex>
#include <stdexcept>

namespace smbhub::test {
namespace {

constexpr int kSqliteOk = 0;
constexpr int kOpenReadWrite = 0x00000002;  // SQLITE_OPEN_READWRITE
constexpr int kBusyTimeoutMs = 5000;

using ExecCallback = int (*)(void*, int, char**, char**);

}  // namespace

// The few entry points of the SQLite C API this class uses, resolved once per test program.
struct SqliteFile::Api {
    Poco::SharedLibrary library;
    int (*open)(const char*, void**, int, const char*) = nullptr;
    int (*close)(void*) = nullptr;
    int (*busyTimeout)(void*, int) = nullptr;
    int (*exec)(void*, const char*, ExecCallback, void*, char**) = nullptr;
    int (*changes)(void*) = nullptr;
    const char* (*errmsg)(void*) = nullptr;
    void (*freeMemory)(void*) = nullptr;

    template <typename Fn>
    void bind(Fn& fn, const std::string& name) {
        fn = reinterpret_cast<Fn>(library.getSymbol(name));
    }

    static std::shared_ptr<const Api> load() {
        static std::mutex mutex;
        static std::shared_ptr<const Api> shared;
        std::lock_guard lock(mutex);
        if (shared) return shared;
        auto api = std::make_shared<Api>();
        try {
            api->library.load("libsqlite3.so.0");
            api->bind(api->open, "sqlite3_open_v2");
            api->bind(api->close, "sqlite3_close");
            api->bind(api->busyTimeout, "sqlite3_busy_timeout");
            api->bind(api->exec, "sqlite3_exec");
            api->bind(api->changes, "sqlite3_changes");
            api->bind(api->errmsg, "sqlite3_errmsg");
            api->bind(api->freeMemory, "sqlite3_free");
        } catch (const Poco::Exception& e) {
            throw std::runtime_error("SqliteFile: cannot load libsqlite3.so.0: " + e.displayText());
        }
        shared = api;
        return shared;
    }
};

SqliteFile::SqliteFile(const std::string& path) : api_(Api::load()) {
    if (api_->open(path.c_str(), &db_, kOpenReadWrite, nullptr) != kSqliteOk) {
        const std::string message = db_ ? api_->errmsg(db_) : "out of memory";
        if (db_) api_->close(db_);
        db_ = nullptr;
        throw std::runtime_error("SqliteFile: cannot open " + path + ": " + message);
    }
    api_->busyTimeout(db_, kBusyTimeoutMs);
}

SqliteFile::~SqliteFile() {
    if (db_) api_->close(db_);
}

int SqliteFile::execute(const std::string& sql) {
    char* error = nullptr;
    if (api_->exec(db_, sql.c_str(), nullptr, nullptr, &error) != kSqliteOk) {
        const std::string message = error ? error : api_->errmsg(db_);
        if (error) api_->freeMemory(error);
        throw std::runtime_error("SqliteFile: `" + sql + "` failed: " + message);
    }
    return api_->changes(db_);
}

std::vector<std::vector<std::string>> SqliteFile::query(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    const ExecCallback collect = [](void* out, int columns, char** values, char**) {
        auto& table = *static_cast<std::vector<std::vector<std::string>>*>(out);
        std::vector<std::string> row;
        for (int i = 0; i < columns; ++i) row.emplace_back(values[i] ? values[i] : "");
        table.push_back(std::move(row));
        return 0;
    };
    char* error = nullptr;
    if (api_->exec(db_, sql.c_str(), collect, &rows, &error) != kSqliteOk) {
        const std::string message = error ? error : api_->errmsg(db_);
        if (error) api_->freeMemory(error);
        throw std::runtime_error("SqliteFile: `" + sql + "` failed: " + message);
    }
    return rows;
}

}  // namespace smbhub::test
