#include <boost/filesystem.hpp>

#include <iostream>

#include "cli/CommandLine.h"
#include "config/GeneratedSecrets.h"
#include "config/HubConfig.h"

namespace smbhub::cli {

int runCheckConfig(const CommandLine& line) {
    line.allowOnly({"config"});
    const config::HubConfig config = config::loadHubConfig(line.configPath());
    if (!config.secrets.key.empty()) config::decodeSecretsKey(config.secrets.key);
    if (!config.delivery.caFile.empty() && !boost::filesystem::exists(config.delivery.caFile)) {
        throw config::ConfigError("delivery.ca_file", "no such file " + config.delivery.caFile);
    }
    requirePluginsFolder(config.plugins.dir);
    std::cout << line.configPath() << ": OK\n";
    return 0;
}

}  // namespace smbhub::cli
