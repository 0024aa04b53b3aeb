#include "store/PostgresConnection.h"

#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Logger.h>

#include <fcntl.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

#include "store/ConnectionWatchdog.h"
#include "store/PostgresConnect.h"

namespace smbhub::store {
namespace {

// Sessions whose connection was still broken when they had to go (see the header). Never freed:
// reachable from here, so LeakSanitizer does not count them, and bounded by the pools' sizes.
// Server notices (warnings such as "there is no transaction in progress") go to the log at debug
// level instead of libpq's default, a raw line on stderr.
void logNotice(void*, const char* message) {
    Poco::Logger& log = Poco::Logger::get("database");
    if (log.debug()) log.debug("server notice: %s", oneLine(message));
}

void park(std::unique_ptr<Poco::Data::Session> session) {
    static std::mutex mutex;
    static auto* parked = new std::vector<std::unique_ptr<Poco::Data::Session>>();
    std::lock_guard lock(mutex);
    parked->push_back(std::move(session));
}

}  // namespace

PostgresConnection::PostgresConnection(std::string conninfo, ConnectionWatchdog* watchdog)
    : conninfo_(std::move(conninfo)), watchdog_(watchdog) {}

PostgresConnection::~PostgresConnection() {
    if (watchSocket_ >= 0) ::close(watchSocket_);
    if (session_ && PQstatus(handle_) != CONNECTION_OK) park(std::move(session_));
}

bool PostgresConnection::usable() const { return session_ && PQstatus(handle_) == CONNECTION_OK; }

void PostgresConnection::open(std::chrono::steady_clock::time_point deadline) {
    if (usable()) return;
    if (!session_) return openFresh(deadline, false);
    const ConnectOutcome outcome = reconnectInPlace(handle_, deadline);
    if (!outcome.ok) throw ConnectionFailed(outcome.error, outcome.reachedServer);
    watchCurrentSocket();
    if (clean(deadline)) return;
    if (PQstatus(handle_) != CONNECTION_OK) {
        throw ConnectionFailed("the connection broke again before it could be used (or did not answer in time)", true);
    }
    retire();
    openFresh(deadline, true);
}

void PostgresConnection::openFresh(std::chrono::steady_clock::time_point deadline, bool serverJustAnswered) {
    if (!serverJustAnswered) {
        const ConnectOutcome outcome = tryConnect(conninfo_, deadline);
        if (!outcome.ok) throw ConnectionFailed(outcome.error, outcome.reachedServer);
    }
    // Poco's opening blocks: bound it by the time left (whole seconds, libpq's minimum is 2; a
    // later key overrides an earlier one).
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now() +
                                                                       std::chrono::milliseconds(999));
    const std::string withTimeout =
        conninfo_ + " connect_timeout=" + std::to_string(std::max<std::int64_t>(2, left.count()));
    try {
        session_ = std::make_unique<Poco::Data::Session>("postgresql", withTimeout);
    } catch (const Poco::Exception& e) {
        throw ConnectionFailed(oneLine(e.displayText()), true);
    }
    auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session_->impl());
    handle_ = impl ? static_cast<PGconn*>(impl->handle()) : nullptr;
    if (!handle_) {
        session_.reset();
        throw ConnectionFailed("not a PostgreSQL session", true);
    }
    PQsetNoticeProcessor(handle_, logNotice, nullptr);  // kept by PQresetStart
    watchCurrentSocket();
}

bool PostgresConnection::clean(std::chrono::steady_clock::time_point deadline) {
    std::unique_ptr<ConnectionWatchdog::Watch> watch;
    if (watchdog_) watch = watchdog_->watch(watchSocket_, deadline);
    try {
        if (session_->isTransaction()) session_->rollback();
        session_->begin();
        session_->rollback();
        return true;
    } catch (...) {
        return false;
    }
}

void PostgresConnection::retire() {
    session_.reset();  // up: Poco's disconnect() finishes it
    handle_ = nullptr;
    if (watchSocket_ >= 0) ::close(watchSocket_);
    watchSocket_ = -1;
}

void PostgresConnection::watchCurrentSocket() {
    if (watchSocket_ >= 0) ::close(watchSocket_);
    const int socket = PQsocket(handle_);
    watchSocket_ = socket >= 0 ? ::fcntl(socket, F_DUPFD_CLOEXEC, 0) : -1;
}

}  // namespace smbhub::store
