#include <boost/filesystem.hpp>

#include <iomanip>
#include <iostream>

#include "cli/CommandLine.h"
#include "config/HubConfig.h"
#include "core/Logging.h"
#include "plugins/PluginHost.h"

namespace smbhub::cli {

void requirePluginsFolder(const std::string& dir) {
    boost::system::error_code ec;
    if (boost::filesystem::is_directory(dir, ec)) return;
    const bool exists = boost::filesystem::exists(dir, ec);
    throw config::ConfigError("plugins.dir", (exists ? "not a folder: " : "no such folder ") + dir);
}

int runPlugins(const CommandLine& line) {
    line.allowOnly({"config"});
    const config::HubConfig config = config::loadHubConfig(line.configPath());
    requirePluginsFolder(config.plugins.dir);
    core::setUpLogging("fatal");  // the table below says it all
    plugins::PluginHost host;
    host.load(config.plugins.dir, config.plugins.enabled, config.plugins.settings);
    std::cout << std::left << std::setw(17) << "ID" << std::setw(10) << "VERSION" << std::setw(10)
              << "STATE" << "FILE / REASON\n";
    for (const auto& r : host.reports()) {
        std::cout << std::setw(16) << (r.id.empty() ? "-" : r.id) << " " << std::setw(9)
                  << (r.version.empty() ? "-" : r.version) << " " << std::setw(9) << r.state << r.file;
        if (!r.reason.empty()) std::cout << " (" << r.reason << ")";
        std::cout << "\n";
    }
    for (const auto& id : config.plugins.enabled) {
        bool found = false;
        for (const auto& r : host.reports()) found = found || r.id == id;
        if (!found) std::cout << std::setw(16) << id << " " << std::setw(9) << "-" << " " << std::setw(9) << "missing"
                              << "(enabled, but no library in " << config.plugins.dir << " provides it)\n";
    }
    return 0;
}

}  // namespace smbhub::cli
