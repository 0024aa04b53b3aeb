// Opening PostgreSQL connections with libpq directly: never past a deadline, never leaking.
//
// Poco::Data::PostgreSQL 1.11 opens a session with a blocking PQconnectdb and, when that fails,
// never calls PQfinish (its disconnect() only finishes a CONNECTION_OK handle): ~35 KB lost per
// failed attempt, forever. So the hub only asks Poco to open a session right after a libpq
// attempt of its own succeeded (`tryConnect`), and brings a session whose connection broke back
// in place (`reconnectInPlace`, the same PGconn), so a failed attempt is always freed here.
//
// Both use libpq's non-blocking API (PQconnectStart / PQresetStart, then PQ*Poll with poll(2)
// timeouts): a server that accepts TCP connections but never answers (SIGSTOPped, overloaded)
// holds the caller until `deadline`, not for as long as the operating system would.
//
// Thread-safety: stateless; safe from any thread (each call works on its own connection).
#pragma once

#include <chrono>
#include <string>

struct pg_conn;

namespace smbhub::store {

struct ConnectOutcome {
    bool ok = false;
    // The attempt got past the TCP connection (the server is there, but failed or did not answer
    // in time) — as opposed to nothing answering at the address (refused, unreachable).
    bool reachedServer = false;
    std::string error;  // one line; empty when ok
};

// A new connection with `conninfo` (libpq key=value string), closed again at once: whether the
// server takes connections now.
ConnectOutcome tryConnect(const std::string& conninfo, std::chrono::steady_clock::time_point deadline);

// Re-establishes `connection` (whatever its state) with its own parameters, in place.
ConnectOutcome reconnectInPlace(pg_conn* connection, std::chrono::steady_clock::time_point deadline);

// libpq's error text (several lines, tabs) as one line.
std::string oneLine(const std::string& text);

}  // namespace smbhub::store
