// database.url, read once by the configuration and by the store, so neither needs the other:
// "sqlite:PATH" names a file; "postgresql://user:password@host:port/dbname?key=value" (or
// postgres://) a server, turned into the libpq "key=value …" string Poco::Data PostgreSQL takes
// (it refuses URIs).
//
// User, password and database name are percent-decoded; query parameters pass through as libpq
// keywords (sslmode, connect_timeout, application_name, …). Defaults where none is given: a
// connect_timeout of `database.timeout` (a hub should answer 503 quickly rather than hang on an
// unreachable database; it bounds the blocking connect of Poco::Data), and TCP keepalives plus a 30-second tcp_user_timeout, so a silent network partition
// breaks a connection within about a minute instead of the OS's two hours.
//
// Poco::Data PostgreSQL 1.11 splits the string at whitespace itself, so no value may contain any
// (a password with spaces goes in PGPASSWORD or ~/.pgpass instead; the error says so).
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <stdexcept>
#include <string>

namespace smbhub::core {

bool isSqliteUrl(const std::string& url);
// The file of a sqlite: URL.
std::string sqlitePath(const std::string& url);

bool isPostgresUrl(const std::string& url);

// Throws std::invalid_argument naming what is wrong (never echoing the password).
// `connectTimeoutSeconds`: connect_timeout unless the URL sets one (libpq's minimum is 2).
std::string libpqConnectionString(const std::string& url, int connectTimeoutSeconds = 5);

// The URL with the password replaced by "***", for log lines.
std::string redactedPostgresUrl(const std::string& url);

}  // namespace smbhub::core
