// The hub's configuration: one YAML file (SPEC §3), read once at start-up into plain values.
//
// `loadHubConfig` expands ${VAR} and ${VAR:-default} from the environment, refuses unknown keys
// and bad values with a ConfigError naming the key, and fills defaults for everything optional.
// Empty secrets stay empty here; GeneratedSecrets fills them at `serve` time.
//
// Thread-safety: plain values, read once at start-up and never changed afterwards, so shared by
// every thread without locking.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace smbhub::config {

class ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& key, const std::string& message)
        : std::runtime_error(key.empty() ? message : key + ": " + message), key_(key) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    int port = 8080;               // 0 = pick a free port and log it
    std::chrono::milliseconds headerTimeout{10000};    // a request's head must arrive within
    std::chrono::milliseconds bodyTimeout{30000};      // its body, after the head
    std::chrono::milliseconds keepAliveTimeout{5000};  // idle time between requests
    int maxConnections = 10000;    // beyond: new connections are refused at once
    int maxThreads = 64;           // workers running API handlers (a request holds one only
                                   // once it has fully arrived)
    int ioThreads = 1;             // threads reading and writing every connection
    // After SIGTERM, how long the listener stays open (and requests are served) while /readyz
    // already answers 503, so that load balancers stop sending traffic before it closes.
    std::chrono::milliseconds drainDelay{5000};
};

struct DatabaseConfig {
    std::string url = "sqlite:data/hub.db";
    int poolSize = 16;  // PostgreSQL connections per process (SQLite uses one)
    // The longest any operation waits for the database (a free connection, connecting, every
    // statement) before it fails with 503; SQLite's busy timeout.
    std::chrono::milliseconds timeout{5000};
};

struct PluginsConfig {
    std::string dir = "build/plugins";
    std::vector<std::string> enabled;
    std::map<std::string, std::map<std::string, std::string>> settings;  // flattened per plugin
};

struct AuthConfig {
    std::string adminToken;
    std::string sessionSecret;
    std::vector<std::string> paidPlans = {"starter", "growth", "pro", "enterprise"};
    // Lifetime of a session the hub signs in itself (POST /api/session): the cookie's Max-Age and
    // the JWT's `exp`.
    std::chrono::milliseconds sessionTtl{12LL * 3600 * 1000};
};

struct DeliveryConfig {
    std::chrono::milliseconds timeout{10000};
    std::vector<std::chrono::milliseconds> retrySchedule;  // delays before attempts 2, 3, …
    double jitter = 0.2;                 // ± fraction applied to each scheduled delay
    std::string caFile;
    bool allowHttp = false;
    bool allowPrivateNetworks = false;
    std::map<std::string, std::string> resolve;  // host -> "ip:port"
    int maxInFlight = 1024;              // requests outstanding at once, all integrations
    int maxInFlightPerIntegration = 128;  // so one slow receiver cannot take every slot
    int ioThreads = 1;                   // threads running outbound HTTPS
    int disableAfterFailedDeliveries = 20;  // consecutive deliveries that exhausted retries
    std::chrono::milliseconds leaseDuration{60000};  // a claim expires after this (crashes)
    std::chrono::milliseconds pollInterval{250};     // how often due work is looked for
};

struct SecretsConfig {
    std::string key;  // base64 of 32 bytes
};

struct DashboardConfig {
    // Where OAuth callbacks send the browser back to: an absolute http(s) URL (the main
    // application's page), or a path on the hub itself ("/dashboard", its own page: the default).
    std::string url = "/dashboard";
};

struct ApiConfig {
    double rateLimitPerSecond = 50;  // per account, token bucket
    int rateLimitBurst = 200;
    std::size_t maxBodyBytes = 1024 * 1024;
};

struct RetentionConfig {
    std::chrono::milliseconds idempotencyKeys{24LL * 3600 * 1000};  // a key is honoured this long
    std::chrono::milliseconds attempts{30LL * 24 * 3600 * 1000};    // attempts logged longer ago go
    std::chrono::milliseconds events{30LL * 24 * 3600 * 1000};      // events (with their deliveries) go
    std::chrono::milliseconds interval{60000};  // how often the background deletion runs
};

struct MetricsConfig {
    // When set, GET /metrics requires `Authorization: Bearer <token>`.
    std::string token;
};

struct LogConfig {
    std::string level = "information";
    std::string format = "text";  // text | json (core/Logging.h)
};

struct HubConfig {
    std::string sourcePath;  // the file it came from
    ServerConfig server;
    DatabaseConfig database;
    PluginsConfig plugins;
    AuthConfig auth;
    DeliveryConfig delivery;
    SecretsConfig secrets;
    DashboardConfig dashboard;
    ApiConfig api;
    RetentionConfig retention;
    MetricsConfig metrics;
    LogConfig log;
};

// Reads and validates `path`. Throws ConfigError.
HubConfig loadHubConfig(const std::string& path);

// Parses YAML text (for tests and check-config). Throws ConfigError.
HubConfig parseHubConfig(const std::string& yamlText, const std::string& sourcePath = "<text>");

}  // namespace smbhub::config
