#include "store/PostgresConnect.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/RepeatingErrorLog.h"

namespace smbhub::store {
namespace {

using Clock = std::chrono::steady_clock;

// Before CONNECTION_MADE libpq is still waiting for the TCP connection itself.
bool pastTcpConnect(ConnStatusType status) {
    return status != CONNECTION_STARTED && status != CONNECTION_BAD && status != CONNECTION_NEEDED;
}

// Drives PQconnectPoll / PQresetPoll until the connection is up, has failed, or the deadline
// passes.
template <typename PollFn>
ConnectOutcome drive(PGconn* conn, Clock::time_point deadline, Clock::time_point started, PollFn pollOnce) {
    ConnectOutcome out;
    PostgresPollingStatusType state = PGRES_POLLING_WRITING;  // what libpq documents to start with
    while (true) {
        out.reachedServer = out.reachedServer || pastTcpConnect(PQstatus(conn));
        if (state == PGRES_POLLING_OK) {
            out.ok = true;
            return out;
        }
        if (state == PGRES_POLLING_FAILED) {
            out.error = oneLine(PQerrorMessage(conn));
            if (out.error.empty()) out.error = "connection failed";
            return out;
        }
        const int socket = PQsocket(conn);
        if (socket < 0) {
            out.error = "connection failed (no socket)";
            return out;
        }
        // Rounded up: truncated, the last fraction of a millisecond would read as "no time left" and
        // the attempt would give up just before its deadline.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            // Rounded to a tenth of a second: the caller's "1s" reads as "1s", not "999ms".
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
            out.error = "no answer within " +
                        core::RepeatingErrorLog::describe(std::chrono::milliseconds((waited.count() + 50) / 100 * 100)) +
                        (out.reachedServer ? " (the server accepted the connection but did not respond)" : "");
            return out;
        }
        pollfd watched{socket, static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
        const int ready = ::poll(&watched, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60000)));
        if (ready < 0 && errno != EINTR) {
            out.error = std::string("poll: ") + std::strerror(errno);
            return out;
        }
        if (ready > 0) state = pollOnce(conn);
    }
}

}  // namespace

std::string oneLine(const std::string& text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

ConnectOutcome tryConnect(const std::string& conninfo, Clock::time_point deadline) {
    const auto started = Clock::now();
    const std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectStart(conninfo.c_str()), PQfinish);
    if (!conn) return {false, false, "cannot start a connection (out of memory)"};
    if (PQstatus(conn.get()) == CONNECTION_BAD) return {false, false, oneLine(PQerrorMessage(conn.get()))};
    return drive(conn.get(), deadline, started, [](PGconn* c) { return PQconnectPoll(c); });
}

ConnectOutcome reconnectInPlace(PGconn* conn, Clock::time_point deadline) {
    const auto started = Clock::now();
    if (!PQresetStart(conn)) return {false, false, oneLine(PQerrorMessage(conn))};
    return drive(conn, deadline, started, [](PGconn* c) { return PQresetPoll(c); });
}

}  // namespace smbhub::store
