#include "core/DatabaseUrl.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <set>
#include <utility>

namespace smbhub::core {
namespace {

// A libpq value: ' and \ escaped by a backslash. Poco::Data PostgreSQL 1.11 splits the string
// at whitespace before libpq sees it, so values cannot be quoted and must not contain any.
std::string escaped(const std::string& key, const std::string& value) {
    if (value.find_first_of(" \t\r\n\f\v") != std::string::npos) {
        throw std::invalid_argument("the " + key + " contains whitespace, which Poco::Data PostgreSQL cannot pass on" +
                                    (key == "password" ? "; leave it out of the URL and set PGPASSWORD or ~/.pgpass" : ""));
    }
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out;
}

// The user name or password, percent-decoded. The message never quotes them: the password is a
// secret.
std::string decoded(const std::string& text) {
    std::string out;
    try {
        Poco::URI::decode(text, out);
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("the URL's user name or password has an invalid escape (% must be followed by two hex digits)");
    }
    return out;
}

struct Parts {
    std::string user;
    std::string password;
    std::string host;
    int port = 5432;
    std::string dbname;
    Poco::URI::QueryParameters query;
};

Parts parse(const std::string& url) {
    if (!isPostgresUrl(url)) throw std::invalid_argument("expected postgresql://user:pass@host:port/db");
    // User info is split here, still percent-encoded: Poco::URI would decode it first, and a
    // password may contain an encoded ':' or '@'.
    const std::size_t authority = url.find("://") + 3;
    const std::size_t authorityEnd = std::min(url.find_first_of("/?#", authority), url.size());
    const std::size_t at = url.rfind('@', authorityEnd - 1);
    Parts p;
    std::string rest = url;
    if (at != std::string::npos && at >= authority) {
        const std::string userInfo = url.substr(authority, at - authority);
        const auto colon = userInfo.find(':');
        p.user = decoded(userInfo.substr(0, colon));
        if (colon != std::string::npos) p.password = decoded(userInfo.substr(colon + 1));
        rest = url.substr(0, authority) + url.substr(at + 1);
    }
    Poco::URI uri;
    try {
        uri = Poco::URI(rest);
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("not a valid URL (expected postgresql://user:pass@host:port/db)");
    }
    p.host = uri.getHost();
    if (p.host.empty()) throw std::invalid_argument("the URL names no host");
    p.port = uri.getPort();
    if (p.port == 0) p.port = 5432;
    const std::string path = uri.getPath();  // decoded
    p.dbname = path.size() > 1 ? path.substr(1) : std::string();
    if (p.dbname.empty() || p.dbname.find('/') != std::string::npos) {
        throw std::invalid_argument("the URL must name one database: postgresql://user:pass@host:port/db");
    }
    try {
        p.query = uri.getQueryParameters();  // decoded as it is read: a broken escape throws here
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("the URL's query has an invalid escape (% must be followed by two hex digits)");
    }
    return p;
}

// Probe an idle connection after 30 s, every 10 s, 3 times; and give up on data the server has
// not acknowledged for 30 s.
const std::pair<const char*, const char*> kDefaults[] = {{"keepalives_idle", "30"},
                                                         {"keepalives_interval", "10"},
                                                         {"keepalives_count", "3"},
                                                         {"tcp_user_timeout", "30000"}};

}  // namespace

bool isSqliteUrl(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

std::string sqlitePath(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

bool isPostgresUrl(const std::string& url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string libpqConnectionString(const std::string& url, int connectTimeoutSeconds) {
    const Parts p = parse(url);
    std::string out = "host=" + escaped("host", p.host) + " port=" + std::to_string(p.port) +
                      " dbname=" + escaped("database name", p.dbname);
    if (!p.user.empty()) out += " user=" + escaped("user name", p.user);
    if (!p.password.empty()) out += " password=" + escaped("password", p.password);
    std::set<std::string> given;
    for (const auto& [key, value] : p.query) {
        static const std::set<std::string> reserved = {"host", "port", "dbname", "user", "password"};
        if (key.empty() || reserved.count(key) || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
            throw std::invalid_argument("unsupported URL parameter \"" + key + "\"");
        }
        given.insert(key);
        if (value.empty()) throw std::invalid_argument("URL parameter \"" + key + "\" has no value");
        out += " " + key + "=" + escaped("value of " + key, value);
    }
    // Defaults for what libpq leaves to the OS: without them, a database behind a network
    // partition (no reset, just silence) holds a connection, and the thread using it, for hours.
    if (!given.count("connect_timeout")) out += " connect_timeout=" + std::to_string(std::max(2, connectTimeoutSeconds));
    for (const auto& [key, value] : kDefaults) {
        if (!given.count(key)) out += std::string(" ") + key + "=" + value;
    }
    return out;
}

std::string redactedPostgresUrl(const std::string& url) {
    try {
        const Parts p = parse(url);
        std::string out = "postgresql://";
        if (!p.user.empty()) out += p.user + (p.password.empty() ? "" : ":***") + "@";
        return out + p.host + ":" + std::to_string(p.port) + "/" + p.dbname;
    } catch (const std::invalid_argument&) {
        return "postgresql://(invalid)";
    }
}

}  // namespace smbhub::core
