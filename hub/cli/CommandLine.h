// The smb-hub command line: a subcommand (serve by default), an optional verb (account
// create|set, secrets rotate-key), and --name value options; --help and --version stand alone.
//
// Thread-safety: CommandLine is a value; the run* commands run on the process's main thread.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace smbhub::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandLine {
    std::string command = "serve";
    std::string verb;  // for `account` and `secrets`
    std::map<std::string, std::string> options;

    std::string configPath() const;
    std::optional<std::string> option(const std::string& name) const;
    // Throws UsageError for an option the command does not take.
    void allowOnly(const std::vector<std::string>& names) const;
};

// Throws UsageError on a malformed command line.
CommandLine parseCommandLine(int argc, char** argv);

extern const char* const kUsage;

int runServe(const CommandLine& line);
int runAccount(const CommandLine& line);
int runPlugins(const CommandLine& line);
int runCheckConfig(const CommandLine& line);
int runSecrets(const CommandLine& line);

// Throws config::ConfigError naming plugins.dir when `dir` is not a folder: `plugins` and
// `check-config` say so rather than report every enabled plugin as merely missing.
void requirePluginsFolder(const std::string& dir);

}  // namespace smbhub::cli
