#include <gtest/gtest.h>

#include <cstdlib>

#include "config/Duration.h"
#include "config/EnvExpansion.h"
#include "config/HubConfig.h"

namespace smbhub::config {
namespace {

std::string errorKeyOf(const std::string& yaml) {
    try {
        parseHubConfig(yaml);
    } catch (const ConfigError& e) {
        return e.key();
    }
    return "<accepted>";
}

TEST(HubConfig, DefaultsWhenEmpty) {
    const HubConfig c = parseHubConfig("");
    EXPECT_EQ(c.server.host, "127.0.0.1");
    EXPECT_EQ(c.server.port, 8080);
    EXPECT_EQ(c.database.url, "sqlite:data/hub.db");
    EXPECT_EQ(c.delivery.timeout, std::chrono::milliseconds(10000));
    ASSERT_EQ(c.delivery.retrySchedule.size(), 8u);
    EXPECT_EQ(c.delivery.retrySchedule.back(), std::chrono::hours(6));
    EXPECT_FALSE(c.delivery.allowHttp);
    EXPECT_FALSE(c.delivery.allowPrivateNetworks);
}

TEST(HubConfig, ReadsTheDocumentedKeys) {
    const HubConfig c = parseHubConfig(R"(
server: { listen: "0.0.0.0:0" }
database: { url: "sqlite:/tmp/x.db" }
plugins:
  dir: /opt/plugins
  enabled: [webhook, clay]
  settings:
    hubspot: { client_id: abc, oauth: { scope: "a b" } }
auth: { admin_token: t, session_secret: s, paid_plans: [pro] }
delivery:
  timeout_ms: 2500
  retry_schedule: ["250ms", "1s", "2m"]
  allow_http: true
  allow_private_networks: true
  resolve: { hooks.zapier.com: "127.0.0.1:8443" }
secrets: { key: abc }
dashboard: { url: "https://app.example.com/" }
)");
    EXPECT_EQ(c.server.host, "0.0.0.0");
    EXPECT_EQ(c.server.port, 0);
    EXPECT_EQ(c.plugins.enabled, (std::vector<std::string>{"webhook", "clay"}));
    EXPECT_EQ(c.plugins.settings.at("hubspot").at("client_id"), "abc");
    EXPECT_EQ(c.plugins.settings.at("hubspot").at("oauth.scope"), "a b");
    EXPECT_EQ(c.auth.paidPlans, std::vector<std::string>{"pro"});
    EXPECT_EQ(c.delivery.timeout, std::chrono::milliseconds(2500));
    EXPECT_EQ(c.delivery.retrySchedule,
              (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(250), std::chrono::seconds(1),
                                                      std::chrono::minutes(2)}));
    EXPECT_TRUE(c.delivery.allowHttp);
    EXPECT_EQ(c.delivery.resolve.at("hooks.zapier.com"), "127.0.0.1:8443");
    EXPECT_EQ(c.dashboard.url, "https://app.example.com/");
}

TEST(HubConfig, ErrorsNameTheKey) {
    EXPECT_EQ(errorKeyOf("server: { listen: \"127.0.0.1:8080\", listn: x }"), "server.listn");
    EXPECT_EQ(errorKeyOf("srever: {}"), "srever");
    EXPECT_EQ(errorKeyOf("server: { listen: \"nohost\" }"), "server.listen");
    EXPECT_EQ(errorKeyOf("server: { listen: \"h:99999\" }"), "server.listen");
    EXPECT_EQ(errorKeyOf("delivery: { timeout_ms: ten }"), "delivery.timeout_ms");
    EXPECT_EQ(errorKeyOf("delivery: { retry_schedule: [\"5 parsecs\"] }"), "delivery.retry_schedule[0]");
    EXPECT_EQ(errorKeyOf("delivery: { allow_http: maybe }"), "delivery.allow_http");
    EXPECT_EQ(errorKeyOf("delivery: { resolve: { a.com: nope } }"), "delivery.resolve.a.com");
    EXPECT_EQ(errorKeyOf("database: { url: \"mysql://x\" }"), "database.url");
    EXPECT_EQ(errorKeyOf("plugins: { enabled: webhook }"), "plugins.enabled");
    EXPECT_EQ(errorKeyOf("log: { level: loud }"), "log.level");
    EXPECT_EQ(errorKeyOf("log: { format: xml }"), "log.format");
    EXPECT_EQ(errorKeyOf("server: { drain_delay: 11m }"), "server.drain_delay");
    EXPECT_EQ(errorKeyOf("server: [1, 2]"), "server");
    // YAML's complex keys ("? [a, b]") are refused where they stand, not thrown as yaml-cpp's own.
    EXPECT_EQ(errorKeyOf("? [a, b]\n: 1\n"), "(top level)");
    EXPECT_EQ(errorKeyOf("server:\n  ? { a: 1 }\n  : x\n"), "server");
    EXPECT_EQ(errorKeyOf("plugins:\n  settings:\n    ? [hubspot]\n    : { client_id: x }\n"), "plugins.settings");
    EXPECT_EQ(errorKeyOf("plugins:\n  settings:\n    hubspot:\n      ? [a]\n      : x\n"), "plugins.settings.hubspot");
    EXPECT_EQ(errorKeyOf("database: { url: \"postgresql://u:p%4x@db/hub\" }"), "database.url");
}

TEST(HubConfig, AKeyOrSectionWrittenTwiceIsAnError) {
    EXPECT_EQ(errorKeyOf("server: { listen: \"127.0.0.1:1\" }\nserver: { listen: \"127.0.0.1:2\" }"), "server");
    EXPECT_EQ(errorKeyOf("server:\n  listen: \"127.0.0.1:1\"\n  listen: \"127.0.0.1:2\"\n"), "server.listen");
    EXPECT_EQ(errorKeyOf("delivery: { resolve: { a.com: \"1.2.3.4:1\", a.com: \"1.2.3.4:2\" } }"),
              "delivery.resolve.a.com");
    EXPECT_EQ(errorKeyOf("plugins: { settings: { hubspot: { client_id: a, client_id: b } } }"),
              "plugins.settings.hubspot.client_id");
    EXPECT_EQ(errorKeyOf("plugins: { settings: { hubspot: { oauth: { scope: a, scope: b } } } }"),
              "plugins.settings.hubspot.oauth.scope");
}

TEST(HubConfig, FrontDoorKeys) {
    const HubConfig c = parseHubConfig(
        "server: { header_timeout: 2s, body_timeout: 3s, keepalive_timeout: 500ms, max_connections: 50, "
        "max_threads: 8, io_threads: 2 }\nretention: { idempotency_keys: 1h }");
    EXPECT_EQ(c.server.headerTimeout, std::chrono::seconds(2));
    EXPECT_EQ(c.server.bodyTimeout, std::chrono::seconds(3));
    EXPECT_EQ(c.server.keepAliveTimeout, std::chrono::milliseconds(500));
    EXPECT_EQ(c.server.maxConnections, 50);
    EXPECT_EQ(c.server.ioThreads, 2);
    EXPECT_EQ(c.retention.idempotencyKeys, std::chrono::hours(1));
    const HubConfig d = parseHubConfig("");
    EXPECT_EQ(d.server.headerTimeout, std::chrono::seconds(10));
    EXPECT_EQ(d.server.bodyTimeout, std::chrono::seconds(30));
    EXPECT_EQ(d.server.keepAliveTimeout, std::chrono::seconds(5));
    EXPECT_EQ(d.server.maxConnections, 10000);
    EXPECT_EQ(d.retention.idempotencyKeys, std::chrono::hours(24));
    EXPECT_EQ(d.server.drainDelay, std::chrono::seconds(5));
    EXPECT_EQ(d.log.format, "text");
    EXPECT_EQ(parseHubConfig("server: { drain_delay: 0s }\nlog: { format: json }").server.drainDelay,
              std::chrono::milliseconds(0));
    EXPECT_EQ(parseHubConfig("log: { format: json }").log.format, "json");
    EXPECT_EQ(errorKeyOf("server: { header_timeout: 0s }"), "server.header_timeout");
    EXPECT_EQ(errorKeyOf("server: { max_connections: 0 }"), "server.max_connections");
}

TEST(HubConfig, PostgreSQLNeedsSharedSecretsAndAValidUrl) {
    const std::string secrets =
        "auth: { admin_token: a, session_secret: b }\nsecrets: { key: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= }\n";
    const HubConfig c = parseHubConfig("database: { url: \"postgresql://hub:pw@db:5433/hub\", pool_size: 4 }\n" + secrets);
    EXPECT_EQ(c.database.poolSize, 4);
    // Several processes must share the secrets: none may be generated per process.
    EXPECT_EQ(errorKeyOf("database: { url: \"postgresql://hub@db/hub\" }"), "auth.admin_token");
    EXPECT_EQ(errorKeyOf("database: { url: \"postgresql://hub@db/hub\" }\n"
                         "auth: { admin_token: a, session_secret: b }"),
              "secrets.key");
    EXPECT_EQ(errorKeyOf("database: { url: \"postgresql://hub@db\" }\n" + secrets), "database.url");
    EXPECT_EQ(errorKeyOf("database: { url: \"postgresql://hub@db/hub\", pool_size: 0 }\n" + secrets),
              "database.pool_size");
    EXPECT_EQ(errorKeyOf("database: { url: \"sqlite:x.db\" }"), "<accepted>") << "SQLite generates them";
}

TEST(HubConfig, DatabaseTimeoutIsADurationWithinBounds) {
    EXPECT_EQ(parseHubConfig("").database.timeout, std::chrono::seconds(5));
    EXPECT_EQ(parseHubConfig("database: { timeout: 1500ms }").database.timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(parseHubConfig("database: { timeout: 2m }").database.timeout, std::chrono::minutes(2));
    EXPECT_EQ(errorKeyOf("database: { timeout: 50ms }"), "database.timeout");
    EXPECT_EQ(errorKeyOf("database: { timeout: 11m }"), "database.timeout");
    EXPECT_EQ(errorKeyOf("database: { timeout: soon }"), "database.timeout");
}

TEST(HubConfig, ExpandsEnvironmentVariables) {
    ::setenv("SMBHUB_TEST_PORT", "9191", 1);
    ::unsetenv("SMBHUB_TEST_UNSET");
    const HubConfig c = parseHubConfig(
        "server: { listen: \"127.0.0.1:${SMBHUB_TEST_PORT}\" }\n"
        "auth: { admin_token: \"${SMBHUB_TEST_UNSET:-fallback}\", session_secret: \"${SMBHUB_TEST_UNSET}\" }\n");
    EXPECT_EQ(c.server.port, 9191);
    EXPECT_EQ(c.auth.adminToken, "fallback");
    EXPECT_EQ(c.auth.sessionSecret, "");
}

TEST(EnvExpansion, HandlesDefaultsAndErrors) {
    const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "A") return "1";
        if (name == "EMPTY") return "";
        return std::nullopt;
    };
    EXPECT_EQ(expandEnv("x${A}y", env), "x1y");
    EXPECT_EQ(expandEnv("${B:-d}", env), "d");
    EXPECT_EQ(expandEnv("${EMPTY:-d}", env), "d");
    EXPECT_EQ(expandEnv("${B}", env), "");
    EXPECT_EQ(expandEnv("no vars", env), "no vars");
    EXPECT_THROW(expandEnv("${A", env), std::invalid_argument);
}

TEST(Duration, ParsesUnits) {
    EXPECT_EQ(parseDuration("250ms"), std::chrono::milliseconds(250));
    EXPECT_EQ(parseDuration("5s"), std::chrono::seconds(5));
    EXPECT_EQ(parseDuration("2m"), std::chrono::minutes(2));
    EXPECT_EQ(parseDuration("6h"), std::chrono::hours(6));
    EXPECT_EQ(parseDuration("1d"), std::chrono::hours(24));
    EXPECT_EQ(parseDuration("5"), std::nullopt);
    EXPECT_EQ(parseDuration("s"), std::nullopt);
    EXPECT_EQ(parseDuration("-5s"), std::nullopt);
    EXPECT_EQ(parseDuration("5 s"), std::nullopt);
}

TEST(HubConfig, DashboardAndSessionKeys) {
    const HubConfig d = parseHubConfig("");
    EXPECT_EQ(d.dashboard.url, "/dashboard") << "the hub's own page by default (SPEC §16)";
    EXPECT_EQ(d.auth.sessionTtl, std::chrono::hours(12));
    const HubConfig c = parseHubConfig("auth: { session_ttl: 30m }\ndashboard: { url: \"/portal/integrations\" }");
    EXPECT_EQ(c.auth.sessionTtl, std::chrono::minutes(30));
    EXPECT_EQ(c.dashboard.url, "/portal/integrations");
    EXPECT_EQ(errorKeyOf("auth: { session_ttl: 0s }"), "auth.session_ttl");
    EXPECT_EQ(errorKeyOf("auth: { session_ttl: 90d }"), "auth.session_ttl");
    EXPECT_EQ(errorKeyOf("auth: { session_ttl: soon }"), "auth.session_ttl");
    EXPECT_EQ(errorKeyOf("dashboard: { url: \"app.example.com/integrations\" }"), "dashboard.url");
    EXPECT_EQ(errorKeyOf("dashboard: { url: \"//evil.example/\" }"), "dashboard.url");
    EXPECT_EQ(errorKeyOf("dashboard: { url: \"javascript:alert(1)\" }"), "dashboard.url");
}

}  // namespace
}  // namespace smbhub::config
