// smb-hub: the SMB Sales Boost integration hub. See README.md and docs/.
#include <Poco/Exception.h>

#include <iostream>

#include "cli/CommandLine.h"
#include "config/HubConfig.h"

int main(int argc, char** argv) {
    using namespace smbhub;
    try {
        const cli::CommandLine line = cli::parseCommandLine(argc, argv);
        if (line.command == "serve") return cli::runServe(line);
        if (line.command == "account") return cli::runAccount(line);
        if (line.command == "plugins") return cli::runPlugins(line);
        if (line.command == "check-config") return cli::runCheckConfig(line);
        if (line.command == "secrets") return cli::runSecrets(line);
        if (line.command == "help") {
            std::cout << cli::kUsage;
            return 0;
        }
        if (line.command == "version") {
            std::cout << "smb-hub " << SMBHUB_VERSION << "\n";
            return 0;
        }
        throw cli::UsageError("unknown command " + line.command);
    } catch (const cli::UsageError& e) {
        std::cerr << "smb-hub: " << e.what() << "\n" << cli::kUsage;
        return 64;
    } catch (const config::ConfigError& e) {
        std::cerr << "smb-hub: configuration error: " << e.what() << "\n";
        return 78;
    } catch (const Poco::Exception& e) {
        std::cerr << "smb-hub: " << e.displayText() << "\n";  // what() is only the class name
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "smb-hub: " << e.what() << "\n";
        return 1;
    }
}
