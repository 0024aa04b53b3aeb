#include "config/HubConfig.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "config/Duration.h"
#include "config/EnvExpansion.h"
#include "core/DatabaseUrl.h"

namespace smbhub::config {
namespace {

// yaml-cpp keeps every entry of a mapping whose key is written twice, but looking a key up finds
// only the first: an operator's second value would be silently ignored.
// A mapping's key as a name. YAML allows lists and mappings as keys ("? [a, b]: …"); a
// configuration has no use for them, and says where one was written.
std::string keyName(const YAML::Node& key, const std::string& path) {
    if (!key.IsScalar()) throw ConfigError(path.empty() ? "(top level)" : path, "keys must be plain names");
    return key.Scalar();
}

void rejectDuplicateKeys(const YAML::Node& node, const std::string& path) {
    if (!node || !node.IsMap()) return;
    std::set<std::string> seen;
    for (const auto& item : node) {
        const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string("?");
        const std::string where = path.empty() ? key : path + "." + key;
        if (!seen.insert(key).second) throw ConfigError(where, "written twice; keep one");
    }
}

// A YAML mapping being read, with the dotted path of its keys for error messages. Every key
// must be consumed by the reader; the rest are reported as unknown.
class Section {
public:
    Section(YAML::Node node, std::string path) : node_(std::move(node)), path_(std::move(path)) {
        if (node_ && !node_.IsNull() && !node_.IsMap()) {
            throw ConfigError(path_, "must be a mapping");
        }
        rejectDuplicateKeys(node_, path_);
    }

    std::string keyPath(const std::string& key) const {
        if (key.empty()) return path_;
        return path_.empty() ? key : path_ + "." + key;
    }

    YAML::Node take(const std::string& key) {
        known_.insert(key);
        if (!node_ || node_.IsNull()) return YAML::Node();
        return node_[key];
    }

    void string(const std::string& key, std::string& out) {
        const YAML::Node value = take(key);
        if (!value || value.IsNull()) return;
        out = scalar(value, key);
    }

    void integer(const std::string& key, int& out, int min, int max) {
        std::string text;
        string(key, text);
        if (text.empty() && !present(key)) return;
        std::size_t used = 0;
        long long parsed = 0;
        try {
            parsed = std::stoll(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || text.empty() || parsed < min || parsed > max) {
            throw ConfigError(keyPath(key), "expected a whole number from " + std::to_string(min) +
                                                " to " + std::to_string(max) + ", got \"" + text +
                                                "\"");
        }
        out = static_cast<int>(parsed);
    }

    void number(const std::string& key, double& out, double min, double max) {
        std::string text;
        string(key, text);
        if (!present(key)) return;
        std::size_t used = 0;
        double parsed = 0;
        try {
            parsed = std::stod(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || text.empty() || parsed < min || parsed > max) {
            throw ConfigError(keyPath(key), "expected a number from " + std::to_string(min) +
                                                " to " + std::to_string(max));
        }
        out = parsed;
    }

    void boolean(const std::string& key, bool& out) {
        std::string text;
        string(key, text);
        if (!present(key)) return;
        if (text == "true") out = true;
        else if (text == "false") out = false;
        else throw ConfigError(keyPath(key), "expected true or false, got \"" + text + "\"");
    }

    void duration(const std::string& key, std::chrono::milliseconds& out) {
        std::string text;
        string(key, text);
        if (!present(key)) return;
        out = toDuration(text, keyPath(key));
    }

    void stringList(const std::string& key, std::vector<std::string>& out) {
        const YAML::Node value = take(key);
        if (!value || value.IsNull()) return;
        if (!value.IsSequence()) throw ConfigError(keyPath(key), "must be a list");
        out.clear();
        for (std::size_t i = 0; i < value.size(); ++i) {
            out.push_back(scalar(value[i], key + "[" + std::to_string(i) + "]"));
        }
    }

    void stringMap(const std::string& key, std::map<std::string, std::string>& out) {
        const YAML::Node value = take(key);
        if (!value || value.IsNull()) return;
        if (!value.IsMap()) throw ConfigError(keyPath(key), "must be a mapping");
        rejectDuplicateKeys(value, keyPath(key));
        for (const auto& item : value) {
            const std::string name = keyName(item.first, keyPath(key));
            out[name] = scalar(item.second, key + "." + name);
        }
    }

    bool present(const std::string& key) const {
        return node_ && node_.IsMap() && node_[key] && !node_[key].IsNull();
    }

    // Called after reading: anything not taken is a typo or an unsupported option.
    void rejectUnknown() const {
        if (!node_ || !node_.IsMap()) return;
        for (const auto& item : node_) {
            const std::string key = keyName(item.first, path_);
            if (!known_.count(key)) throw ConfigError(keyPath(key), "unknown key");
        }
    }

    std::string scalar(const YAML::Node& value, const std::string& key) const {
        if (!value.IsScalar()) throw ConfigError(keyPath(key), "must be a single value");
        try {
            return expandEnv(value.Scalar(), processEnv);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(keyPath(key), e.what());
        }
    }

    static std::chrono::milliseconds toDuration(const std::string& text, const std::string& path) {
        const auto parsed = parseDuration(text);
        if (!parsed) {
            throw ConfigError(path, "expected a duration like 500ms, 5s, 2m, 1h; got \"" + text +
                                        "\"");
        }
        return *parsed;
    }

private:
    YAML::Node node_;
    std::string path_;
    std::set<std::string> known_;
};

void flattenSettings(const YAML::Node& node, const std::string& prefix, const Section& owner,
                     std::map<std::string, std::string>& out) {
    if (node.IsMap()) {
        if (!prefix.empty()) rejectDuplicateKeys(node, owner.keyPath(prefix));
        for (const auto& item : node) {
            const std::string key = keyName(item.first, owner.keyPath(prefix));
            flattenSettings(item.second, prefix.empty() ? key : prefix + "." + key, owner, out);
        }
    } else if (node.IsScalar()) {
        out[prefix] = owner.scalar(node, prefix);
    } else if (node.IsSequence()) {
        std::string joined;
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (i) joined += ",";
            joined += owner.scalar(node[i], prefix + "[" + std::to_string(i) + "]");
        }
        out[prefix] = joined;
    }
}

void readServer(Section s, ServerConfig& c) {
    std::string listen;
    s.string("listen", listen);
    if (s.present("listen")) {
        const std::size_t colon = listen.rfind(':');
        if (colon == std::string::npos || colon == 0) {
            throw ConfigError("server.listen", "expected host:port, got \"" + listen + "\"");
        }
        c.host = listen.substr(0, colon);
        if (c.host.size() > 2 && c.host.front() == '[' && c.host.back() == ']') {
            c.host = c.host.substr(1, c.host.size() - 2);
        }
        const std::string port = listen.substr(colon + 1);
        const bool digits = !port.empty() && port.size() <= 5 &&
                            std::all_of(port.begin(), port.end(), ::isdigit);
        if (!digits || std::stoi(port) > 65535) {
            throw ConfigError("server.listen", "port must be 0-65535, got \"" + port + "\"");
        }
        c.port = std::stoi(port);
    }
    s.duration("header_timeout", c.headerTimeout);
    s.duration("body_timeout", c.bodyTimeout);
    s.duration("keepalive_timeout", c.keepAliveTimeout);
    for (const auto& [key, value] : {std::pair<const char*, std::chrono::milliseconds>{"header_timeout", c.headerTimeout},
                                     {"body_timeout", c.bodyTimeout},
                                     {"keepalive_timeout", c.keepAliveTimeout}}) {
        if (value < std::chrono::milliseconds(100) || value > std::chrono::hours(1)) {
            throw ConfigError(s.keyPath(key), "must be from 100ms to 1h");
        }
    }
    s.integer("max_connections", c.maxConnections, 1, 1000000);
    s.integer("max_threads", c.maxThreads, 2, 4096);
    s.integer("io_threads", c.ioThreads, 1, 64);
    s.duration("drain_delay", c.drainDelay);
    if (c.drainDelay > std::chrono::minutes(10)) throw ConfigError("server.drain_delay", "must be at most 10m");
    s.rejectUnknown();
}

void readDatabase(Section s, DatabaseConfig& c) {
    s.string("url", c.url);
    const bool sqlite = c.url.rfind("sqlite:", 0) == 0 && c.url.size() > 7;
    if (!sqlite && !core::isPostgresUrl(c.url)) {
        throw ConfigError("database.url",
                          "expected sqlite:PATH or postgresql://user:pass@host:port/db");
    }
    if (!sqlite) {
        try {
            core::libpqConnectionString(c.url);
        } catch (const std::invalid_argument& e) {
            throw ConfigError("database.url", e.what());
        }
    }
    s.integer("pool_size", c.poolSize, 1, 1000);
    s.duration("timeout", c.timeout);
    if (c.timeout < std::chrono::milliseconds(100) || c.timeout > std::chrono::minutes(10)) {
        throw ConfigError("database.timeout", "must be between 100ms and 10m");
    }
    s.rejectUnknown();
}

void readPlugins(Section s, PluginsConfig& c) {
    s.string("dir", c.dir);
    s.stringList("enabled", c.enabled);
    const YAML::Node settings = s.take("settings");
    if (settings && !settings.IsNull()) {
        if (!settings.IsMap()) throw ConfigError("plugins.settings", "must be a mapping");
        rejectDuplicateKeys(settings, "plugins.settings");
        for (const auto& item : settings) {
            const std::string id = keyName(item.first, "plugins.settings");
            Section plugin(item.second, "plugins.settings." + id);
            flattenSettings(item.second, "", plugin, c.settings[id]);
        }
    }
    s.rejectUnknown();
}

void readAuth(Section s, AuthConfig& c) {
    s.string("admin_token", c.adminToken);
    s.string("session_secret", c.sessionSecret);
    s.stringList("paid_plans", c.paidPlans);
    s.duration("session_ttl", c.sessionTtl);
    if (c.sessionTtl < std::chrono::seconds(1) || c.sessionTtl > std::chrono::hours(24 * 30)) {
        throw ConfigError("auth.session_ttl", "must be from 1s to 30d");
    }
    s.rejectUnknown();
}

void readDelivery(Section s, DeliveryConfig& c) {
    int timeoutMs = static_cast<int>(c.timeout.count());
    s.integer("timeout_ms", timeoutMs, 100, 600000);
    c.timeout = std::chrono::milliseconds(timeoutMs);
    std::vector<std::string> schedule;
    s.stringList("retry_schedule", schedule);
    if (s.present("retry_schedule")) {
        c.retrySchedule.clear();
        for (std::size_t i = 0; i < schedule.size(); ++i) {
            c.retrySchedule.push_back(Section::toDuration(
                schedule[i], "delivery.retry_schedule[" + std::to_string(i) + "]"));
        }
    }
    s.number("jitter", c.jitter, 0.0, 1.0);
    s.string("ca_file", c.caFile);
    s.boolean("allow_http", c.allowHttp);
    s.boolean("allow_private_networks", c.allowPrivateNetworks);
    s.stringMap("resolve", c.resolve);
    for (const auto& [host, target] : c.resolve) {
        const std::size_t colon = target.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) {
            throw ConfigError("delivery.resolve." + host, "expected \"ip:port\", got \"" +
                                                              target + "\"");
        }
    }
    s.integer("max_in_flight", c.maxInFlight, 1, 100000);
    s.integer("max_in_flight_per_integration", c.maxInFlightPerIntegration, 1, 100000);
    s.integer("io_threads", c.ioThreads, 1, 64);
    s.integer("disable_after_failed_deliveries", c.disableAfterFailedDeliveries, 1, 1000000);
    s.duration("lease", c.leaseDuration);
    s.duration("poll_interval", c.pollInterval);
    // A claim must outlive the request it covers, or another process could send it again.
    if (c.leaseDuration < c.timeout + std::chrono::seconds(1)) {
        throw ConfigError("delivery.lease", "must be at least delivery.timeout_ms plus 1s");
    }
    if (c.pollInterval < std::chrono::milliseconds(10)) {
        throw ConfigError("delivery.poll_interval", "must be at least 10ms");
    }
    s.rejectUnknown();
}

void readSecrets(Section s, SecretsConfig& c) {
    s.string("key", c.key);
    s.rejectUnknown();
}

void readDashboard(Section s, DashboardConfig& c) {
    s.string("url", c.url);
    // A path is the hub's own page; anything else must be a whole http(s) URL, since the
    // browser is sent there with the OAuth outcome and its origin may send session requests.
    const bool ownPath = c.url.size() > 1 && c.url[0] == '/' && c.url[1] != '/';
    const bool absolute = (c.url.rfind("https://", 0) == 0 || c.url.rfind("http://", 0) == 0) &&
                          c.url.find_first_of(" \t\r\n") == std::string::npos;
    if (!ownPath && !absolute) {
        throw ConfigError("dashboard.url", "expected an http(s) URL or a path on the hub such as /dashboard, got \"" +
                                               c.url + "\"");
    }
    s.rejectUnknown();
}

void readApi(Section s, ApiConfig& c) {
    s.number("rate_limit_per_second", c.rateLimitPerSecond, 0.1, 1e9);
    s.integer("rate_limit_burst", c.rateLimitBurst, 1, 100000000);
    int maxBody = static_cast<int>(c.maxBodyBytes);
    s.integer("max_body_bytes", maxBody, 1024, 64 * 1024 * 1024);
    c.maxBodyBytes = static_cast<std::size_t>(maxBody);
    s.rejectUnknown();
}

void readRetention(Section s, RetentionConfig& c) {
    s.duration("idempotency_keys", c.idempotencyKeys);
    if (c.idempotencyKeys < std::chrono::seconds(1)) {
        throw ConfigError("retention.idempotency_keys", "must be at least 1s");
    }
    s.rejectUnknown();
}

void readLog(Section s, LogConfig& c) {
    s.string("level", c.level);
    static const std::set<std::string> levels = {"fatal",  "critical",    "error", "warning",
                                                 "notice", "information", "debug", "trace"};
    if (!levels.count(c.level)) {
        throw ConfigError("log.level", "expected one of fatal, critical, error, warning, notice, "
                                       "information, debug, trace");
    }
    s.string("format", c.format);
    if (c.format != "text" && c.format != "json") {
        throw ConfigError("log.format", "expected text or json, got \"" + c.format + "\"");
    }
    s.rejectUnknown();
}

// Generated secrets live in a file beside a SQLite database; processes sharing a PostgreSQL
// database may run on different machines, so they must be given the same values.
void requireSharedSecrets(const HubConfig& config) {
    const std::pair<const char*, const std::string*> secrets[] = {
        {"auth.admin_token", &config.auth.adminToken},
        {"auth.session_secret", &config.auth.sessionSecret},
        {"secrets.key", &config.secrets.key}};
    for (const auto& [key, value] : secrets) {
        if (value->empty()) {
            throw ConfigError(key, "must be set when database.url is PostgreSQL: every hub process sharing "
                                   "the database needs the same value (secrets are generated only beside "
                                   "a SQLite database)");
        }
    }
}

}  // namespace

HubConfig parseHubConfig(const std::string& yamlText, const std::string& sourcePath) {
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception& e) {
        throw ConfigError("", sourcePath + ": not valid YAML: " + e.what());
    }
    HubConfig config;
    config.sourcePath = sourcePath;
    config.delivery.retrySchedule = {std::chrono::seconds(5),  std::chrono::seconds(30),
                                     std::chrono::minutes(2),  std::chrono::minutes(10),
                                     std::chrono::minutes(30), std::chrono::hours(1),
                                     std::chrono::hours(3),    std::chrono::hours(6)};
    Section top(root, "");
    readServer(Section(top.take("server"), "server"), config.server);
    readDatabase(Section(top.take("database"), "database"), config.database);
    readPlugins(Section(top.take("plugins"), "plugins"), config.plugins);
    readAuth(Section(top.take("auth"), "auth"), config.auth);
    readDelivery(Section(top.take("delivery"), "delivery"), config.delivery);
    readSecrets(Section(top.take("secrets"), "secrets"), config.secrets);
    readDashboard(Section(top.take("dashboard"), "dashboard"), config.dashboard);
    readApi(Section(top.take("api"), "api"), config.api);
    readRetention(Section(top.take("retention"), "retention"), config.retention);
    readLog(Section(top.take("log"), "log"), config.log);
    top.rejectUnknown();
    if (core::isPostgresUrl(config.database.url)) requireSharedSecrets(config);
    return config;
}

HubConfig loadHubConfig(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("", "cannot read config file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parseHubConfig(text.str(), path);
}

}  // namespace smbhub::config
