// The real `smb-hub` binary, run by a test: `smb-hub serve --config <temp dir>/hub.yaml` with
// its stdout and stderr in <temp dir>/hub.log, and its database on the backend under test
// (backendUnderTest()): SQLite in <temp dir>/hub.db, or a scratch database of its own on the
// run's PostgreSQL server. An override of "database.url" (several hubs sharing one database)
// replaces either.
//
// The configuration starts from testDefaults() (free port, no drain delay, fixed test secrets,
// the test CA trusted, private networks allowed, a short retry schedule without jitter); a test changes any
// key through config() before start(), or passes overrides to the constructor. start() waits
// for the log line "listening on http://<host>:<port>" and takes the port from it. restart()
// keeps the config and the database; the port may change. The destructor stops the process.
//
// runCli() runs other subcommands (`account create`, `check-config`, …) against the same
// config file. Not thread-safe (one owner).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/ChildProcess.h"
#include "support/HubConfigYaml.h"
#include "support/Postgres.h"
#include "support/TempDir.h"
#include "support/TestDatabase.h"

namespace smbhub::test {

class HubProcess {
public:
    // Built-in paths of this build (SMBHUB_BINARY, SMBHUB_PLUGIN_DIR).
    static std::string defaultBinary();
    static std::string defaultPluginDir();
    static const std::string& testAdminToken();
    static const std::string& testSessionSecret();
    // The 32 bytes of the test config's secrets.key (it carries their base64).
    static const std::string& testSecretsKey();

    // `overrides`: dotted key -> raw YAML value, applied over testDefaults().
    explicit HubProcess(const std::string& caFile,
                        const std::map<std::string, std::string>& overrides = {},
                        const std::string& binary = defaultBinary());
    ~HubProcess();
    HubProcess(const HubProcess&) = delete;
    HubProcess& operator=(const HubProcess&) = delete;

    // The configuration written at the next start(), restart() or runCli().
    HubConfigYaml& config() { return config_; }
    static HubConfigYaml testDefaults(const TempDir& dir, const std::string& caFile);

    // Launches `serve` and waits until it listens. Throws std::runtime_error with the log when
    // the hub exits or does not listen within `timeout`.
    void start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // SIGTERM, up to `grace` for a clean exit, then SIGKILL. No-op when not running.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
    // SIGKILL now: a crash, as far as the hub can tell.
    void kill();
    void restart();
    bool running();
    // The exit code of the last run, once it has ended (256 + signal when killed by a signal).
    std::optional<int> exitCode();

    int port() const { return port_; }
    // The running process's id (0 when not running), e.g. for /proc/<pid>/status.
    long pid() const;
    std::string baseUrl() const;  // "http://127.0.0.1:<port>"
    const std::string& host() const { return host_; }
    std::string logText() const;
    const std::string& adminToken() const { return testAdminToken(); }
    const std::string& sessionSecret() const { return testSessionSecret(); }
    const std::string& configFile() const { return configFile_; }
    const TempDir& dir() const { return dir_; }
    // SQL access to the database this hub was given by default (not to an overridden URL).
    std::unique_ptr<TestDatabase> database() const;

    // `smb-hub <args…> --config <configFile>`; `args` come first, e.g. {"account", "create",
    // "--name", "X", "--plan", "pro"}.
    CommandResult runCli(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // `smb-hub <args…>` exactly as given, in the temp dir.
    CommandResult runBinary(const std::vector<std::string>& args,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

    // Writes config() to configFile(); start() and runCli() do it themselves.
    void writeConfig() const;

private:
    std::string binary_;
    TempDir dir_;
    std::unique_ptr<ScratchDatabase> scratch_;  // the PostgreSQL backend's own database
    HubConfigYaml config_;
    std::string configFile_;
    std::string logFile_;
    std::unique_ptr<ChildProcess> process_;
    std::string host_ = "127.0.0.1";
    int port_ = 0;
};

}  // namespace smbhub::test
