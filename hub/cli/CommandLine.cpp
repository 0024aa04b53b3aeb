#include "cli/CommandLine.h"

#include <algorithm>

namespace smbhub::cli {

const char* const kUsage =
    "usage:\n"
    "  smb-hub [serve] [--config FILE]\n"
    "  smb-hub account create --name NAME --plan PLAN [--config FILE]\n"
    "  smb-hub account set --id ID [--plan PLAN] [--status active|suspended] [--config FILE]\n"
    "  smb-hub plugins [--config FILE]\n"
    "  smb-hub check-config [--config FILE]\n"
    "  smb-hub secrets rotate-key --new-key-file FILE [--config FILE]\n"
    "  smb-hub --version\n";

std::string CommandLine::configPath() const {
    return option("config").value_or("config/hub.yaml");
}

std::optional<std::string> CommandLine::option(const std::string& name) const {
    const auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

void CommandLine::allowOnly(const std::vector<std::string>& names) const {
    for (const auto& [name, value] : options) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            throw UsageError("smb-hub " + command + (verb.empty() ? "" : " " + verb) +
                             " does not take --" + name);
        }
    }
}

CommandLine parseCommandLine(int argc, char** argv) {
    CommandLine line;
    std::vector<std::string> words;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            line.command = "help";
            return line;
        }
        if (arg == "--version") {
            line.command = "version";
            return line;
        }
        if (arg.rfind("--", 0) == 0) {
            std::string name = arg.substr(2);
            std::string value;
            if (const auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            } else {
                if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
                value = argv[++i];
            }
            if (name.empty()) throw UsageError("empty option name");
            line.options[name] = value;
        } else {
            words.push_back(arg);
        }
    }
    if (!words.empty()) line.command = words[0];
    if (line.command == "account") {
        if (words.size() != 2 || (words[1] != "create" && words[1] != "set")) {
            throw UsageError("smb-hub account takes create or set");
        }
        line.verb = words[1];
    } else if (line.command == "secrets") {
        if (words.size() != 2 || words[1] != "rotate-key") throw UsageError("smb-hub secrets takes rotate-key");
        line.verb = words[1];
    } else if (words.size() > 1) {
        throw UsageError("unexpected argument " + words[1]);
    }
    return line;
}

}  // namespace smbhub::cli
