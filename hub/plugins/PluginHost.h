// Loads provider plugins (SPEC §10) and is the hub's one way to reach them.
//
// Every shared library in `plugins.dir` is opened with Boost.DLL and asked for its ABI 2
// descriptor (abi.h: only C crosses the boundary). A library that does not open, has no entry
// point, was built against another ABI (ABI 1 included), has a malformed descriptor, claims an
// id another library already has, or is not in `plugins.enabled`, is refused with one log line
// and the hub runs on. Loaded libraries stay loaded until the process exits, so nothing a plugin
// created can outlive its code.
//
// Thread-safety: `load` runs once at start-up; everything else is read-only afterwards.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <smbhub/sdk/provider.h>

#include "plugins/PluginProvider.h"

namespace smbhub::plugins {

struct PluginReport {
    std::string file;
    std::string id;       // empty when the library could not say
    std::string version;
    std::string state;    // loaded | refused | disabled
    std::string reason;   // why, when not loaded
};

struct LoadedProvider {
    std::string id;
    std::string version;
    std::string file;
    sdk::ProviderInfo info;
    bool configured = false;              // configure() accepted the operator's settings
    std::shared_ptr<PluginProvider> provider;  // the plugin, behind its C function table
};

class PluginHost {
public:
    PluginHost() = default;
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;
    ~PluginHost();

    // Scans `dir`; logs one line per library refused. Never throws for a bad library.
    void load(const std::string& dir, const std::vector<std::string>& enabled,
              const std::map<std::string, std::map<std::string, std::string>>& settings);

    const LoadedProvider* find(const std::string& id) const;
    const std::vector<LoadedProvider>& providers() const { return providers_; }
    const std::vector<PluginReport>& reports() const { return reports_; }

private:
    void loadLibrary(const std::string& file, const std::vector<std::string>& enabled,
                     const std::map<std::string, std::map<std::string, std::string>>& settings);
    void refuse(PluginReport report, const std::string& reason);

    std::vector<boost::dll::shared_library> libraries_;  // kept loaded for the process' life
    std::vector<LoadedProvider> providers_;
    std::vector<PluginReport> reports_;
};

}  // namespace smbhub::plugins
