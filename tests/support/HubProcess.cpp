#include "support/HubProcess.h"

#include "support/SqliteFile.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef SMBHUB_BINARY
#error "SMBHUB_BINARY must name the smb-hub executable (set in tests/CMakeLists.txt)"
#endif
#ifndef SMBHUB_PLUGIN_DIR
#error "SMBHUB_PLUGIN_DIR must name the built plugins folder (set in tests/CMakeLists.txt)"
#endif

namespace smbhub::test {
namespace {

// The log tail shown when the hub does not come up: enough to see why, not the whole run.
constexpr std::size_t kLogTailBytes = 8000;

std::string readFrom(const std::string& path, std::uintmax_t offset) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    in.seekg(static_cast<std::streamoff>(offset));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::uintmax_t sizeOf(const std::string& path) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    return error ? 0 : size;
}

std::string tail(const std::string& text) {
    return text.size() <= kLogTailBytes ? text
                                        : "…" + text.substr(text.size() - kLogTailBytes);
}

}  // namespace

std::string HubProcess::defaultBinary() { return SMBHUB_BINARY; }
std::string HubProcess::defaultPluginDir() { return SMBHUB_PLUGIN_DIR; }

const std::string& HubProcess::testAdminToken() {
    static const std::string token = "test-admin-token-4f1c9a7e2b5d8c3f6a0e9d2b7c4a1f8e";
    return token;
}

const std::string& HubProcess::testSessionSecret() {
    static const std::string secret = "test-session-secret-9b2e7d4a1c8f5e3b0a6d9c2f7e4b1a8d";
    return secret;
}

const std::string& HubProcess::testSecretsKey() {
    static const std::string key = "0123456789abcdef0123456789abcdef";
    return key;
}

HubConfigYaml HubProcess::testDefaults(const TempDir& dir, const std::string& caFile) {
    HubConfigYaml config;
    config.set("server.listen", HubConfigYaml::quoted("127.0.0.1:0"))
        .set("database.url", HubConfigYaml::quoted("sqlite:" + dir.file("hub.db")))
        .set("plugins.dir", HubConfigYaml::quoted(defaultPluginDir()))
        .set("plugins.enabled", "[webhook]")
        .set("auth.admin_token", HubConfigYaml::quoted(testAdminToken()))
        .set("auth.session_secret", HubConfigYaml::quoted(testSessionSecret()))
        // base64 of testSecretsKey()
        .set("secrets.key", HubConfigYaml::quoted("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="))
        .set("delivery.ca_file", HubConfigYaml::quoted(caFile))
        .set("delivery.allow_private_networks", "true")
        .set("delivery.retry_schedule", R"(["200ms", "400ms", "800ms"])")
        .set("delivery.jitter", "0")
        .set("delivery.timeout_ms", "3000")
        // No load balancer to warn: SIGTERM stops at once (the drain test sets its own delay).
        .set("server.drain_delay", HubConfigYaml::quoted("0s"))
        .set("log.level", "information");
    return config;
}

HubProcess::HubProcess(const std::string& caFile,
                       const std::map<std::string, std::string>& overrides,
                       const std::string& binary)
    : binary_(binary),
      dir_("smbhub-hub"),
      config_(testDefaults(dir_, caFile)),
      configFile_(dir_.file("hub.yaml")),
      logFile_(dir_.file("hub.log")) {
    if (backendUnderTest() == Backend::Postgres && !overrides.count("database.url")) {
        scratch_ = std::make_unique<ScratchDatabase>();
        config_.set("database.url", HubConfigYaml::quoted(scratch_->url()));
    }
    for (const auto& [key, value] : overrides) config_.set(key, value);
    writeConfig();
}

HubProcess::~HubProcess() {
    try {
        stop(std::chrono::seconds(5));
    } catch (...) {
        // ChildProcess's own destructor still kills a process left running.
    }
}

void HubProcess::writeConfig() const {
    std::ofstream out(configFile_, std::ios::trunc);
    out << config_.render();
    if (!out) throw std::runtime_error("HubProcess: cannot write " + configFile_);
}

void HubProcess::start(std::chrono::milliseconds timeout) {
    if (process_ && process_->running()) throw std::logic_error("HubProcess: already running");
    writeConfig();
    const std::uintmax_t logOffset = sizeOf(logFile_);

    ChildProcess::Launch launch;
    launch.command = binary_;
    launch.args = {"serve", "--config", configFile_};
    launch.workingDir = dir_.path();
    launch.stdoutFile = logFile_;
    launch.appendOutput = true;  // one log across restarts
    process_ = std::make_unique<ChildProcess>(launch);

    static const std::regex listening(R"(listening on http://(\[[^\]]+\]|[^\s:/]+):(\d+))");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const std::string log = readFrom(logFile_, logOffset);
        std::smatch match;
        if (std::regex_search(log, match, listening)) {
            host_ = match[1].str();
            port_ = std::stoi(match[2].str());
            return;
        }
        if (!process_->running()) {
            throw std::runtime_error("smb-hub exited with code " +
                                     std::to_string(process_->exitCode().value_or(-1)) +
                                     " before listening. Log:\n" + tail(log));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            process_->killNow();
            throw std::runtime_error("smb-hub did not log \"listening on http://host:port\" in " +
                                     std::to_string(timeout.count()) + " ms. Log:\n" + tail(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void HubProcess::stop(std::chrono::milliseconds grace) {
    if (!process_ || !process_->running()) return;
    process_->signal(SIGTERM);
    if (!process_->waitFor(grace)) process_->killNow();
}

void HubProcess::kill() {
    if (process_) process_->killNow();
}

void HubProcess::restart() {
    stop();
    start();
}

bool HubProcess::running() { return process_ && process_->running(); }

std::optional<int> HubProcess::exitCode() {
    return process_ ? process_->exitCode() : std::nullopt;
}

long HubProcess::pid() const { return process_ ? process_->pid() : 0; }

std::string HubProcess::baseUrl() const {
    return "http://" + host_ + ":" + std::to_string(port_);
}

std::unique_ptr<TestDatabase> HubProcess::database() const {
    if (scratch_) return std::make_unique<PostgresDatabase>(scratch_->server(), scratch_->name());
    return std::make_unique<SqliteFile>(dir_.file("hub.db"));
}

std::string HubProcess::logText() const { return readFrom(logFile_, 0); }

CommandResult HubProcess::runCli(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout) {
    writeConfig();
    std::vector<std::string> withConfig = args;
    withConfig.push_back("--config");
    withConfig.push_back(configFile_);
    return runBinary(withConfig, timeout);
}

CommandResult HubProcess::runBinary(const std::vector<std::string>& args,
                                    std::chrono::milliseconds timeout) const {
    return ChildProcess::run(binary_, args, timeout, {}, dir_.path());
}

}  // namespace smbhub::test
