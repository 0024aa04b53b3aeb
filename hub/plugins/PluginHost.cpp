#include "plugins/PluginHost.h"

#include <Poco/Logger.h>

#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>

#include <algorithm>

#include <smbhub/sdk/abi.h>

#include "core/LogFields.h"
#include "plugins/DescriptorCheck.h"
#include "plugins/LibraryFile.h"

namespace smbhub::plugins {
namespace {

Poco::Logger& log() { return Poco::Logger::get("plugins"); }

bool isSharedLibrary(const boost::filesystem::path& path) {
    const std::string name = path.filename().string();
    return path.extension() == ".so" || name.find(".so.") != std::string::npos;
}

}  // namespace

PluginHost::~PluginHost() {
    providers_.clear();  // destroy provider objects while their code is still loaded
}

void PluginHost::load(const std::string& dir, const std::vector<std::string>& enabled,
                      const std::map<std::string, std::map<std::string, std::string>>& settings) {
    boost::system::error_code ec;
    std::vector<std::string> files;
    for (boost::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (boost::filesystem::is_regular_file(it->path()) && isSharedLibrary(it->path())) {
            files.push_back(it->path().string());
        }
    }
    if (ec) log().error("plugins.dir %s cannot be read: %s", dir, ec.message());
    std::sort(files.begin(), files.end());  // deterministic: the first of two same ids wins
    for (const std::string& file : files) loadLibrary(file, enabled, settings);
    for (const std::string& id : enabled) {
        if (!find(id)) {
            const bool seen = std::any_of(reports_.begin(), reports_.end(),
                                          [&](const PluginReport& r) { return r.id == id; });
            if (!seen) log().warning("plugin %s is enabled but no library in %s provides it", id, dir);
        }
    }
}

void PluginHost::refuse(PluginReport report, const std::string& reason) {
    report.state = "refused";
    report.reason = reason;
    core::logWithFields(log(), Poco::Message::PRIO_ERROR, "plugin " + report.file + " refused: " + reason,
                        {{"event", "plugin_refused"}, {"plugin", report.id}, {"file", report.file}, {"reason", reason}});
    reports_.push_back(std::move(report));
}

void PluginHost::loadLibrary(const std::string& file, const std::vector<std::string>& enabled,
                             const std::map<std::string, std::map<std::string, std::string>>& settings) {
    PluginReport report;
    report.file = file;
    boost::dll::shared_library library;
    boost::system::error_code ec;
    if (const std::string why = truncation(file); !why.empty()) {
        return refuse(report, "cannot be loaded: " + why);
    }
    library.load(file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (ec) return refuse(report, "cannot be loaded: " + loaderError(file, ec));
    if (!library.has(SMBHUB_PLUGIN_ENTRY_SYMBOL)) {
        return refuse(report, std::string("not a plugin: no ") + SMBHUB_PLUGIN_ENTRY_SYMBOL);
    }
    const auto entry = library.get<const smbhub_plugin_descriptor*()>(SMBHUB_PLUGIN_ENTRY_SYMBOL);
    const smbhub_plugin_descriptor* descriptor = entry();
    if (!descriptor) return refuse(report, "entry point returned no descriptor");
    const DescriptorIdentity identity = plugins::identity(*descriptor);
    report.id = identity.id;
    report.version = identity.version;
    if (const std::string why = incompatibility(*descriptor); !why.empty()) {
        return refuse(report, why);
    }
    if (find(report.id)) {
        return refuse(report, "id \"" + report.id + "\" is already provided by " + find(report.id)->file);
    }
    if (std::find(enabled.begin(), enabled.end(), report.id) == enabled.end()) {
        report.state = "disabled";
        report.reason = "not in plugins.enabled";
        log().information("plugin %s (%s) is not enabled", report.id, file);
        reports_.push_back(std::move(report));
        return;
    }

    LoadedProvider loaded;
    loaded.id = report.id;
    loaded.version = report.version;
    loaded.file = file;
    try {
        loaded.provider = std::make_shared<PluginProvider>(*descriptor->functions);
    } catch (const std::exception& e) {
        return refuse(report, std::string("its factory failed: ") + e.what());
    }
    try {
        loaded.info = loaded.provider->describe();
        if (loaded.info.id != loaded.id) {
            return refuse(report, "describes itself as \"" + loaded.info.id +
                                      "\" but its descriptor says \"" + loaded.id + "\"");
        }
        const auto it = settings.find(loaded.id);
        loaded.configured = loaded.provider->configure(it == settings.end() ? sdk::PluginSettings{}
                                                                            : it->second);
    } catch (const std::exception& e) {
        return refuse(report, std::string("failed to initialise: ") + e.what());
    } catch (...) {
        return refuse(report, "failed to initialise");
    }
    report.state = "loaded";
    if (!loaded.configured) report.reason = "loaded, but its settings are incomplete";
    core::logWithFields(log(), Poco::Message::PRIO_INFORMATION,
                        "plugin " + loaded.id + " " + loaded.version + " loaded from " + file +
                            (loaded.configured ? "" : " (not configured)"),
                        {{"event", "plugin_loaded"}, {"plugin", loaded.id}, {"version", loaded.version},
                         {"file", file}, {"configured", loaded.configured}});
    reports_.push_back(std::move(report));
    providers_.push_back(std::move(loaded));
    libraries_.push_back(std::move(library));
}

const LoadedProvider* PluginHost::find(const std::string& id) const {
    for (const auto& p : providers_) {
        if (p.id == id) return &p;
    }
    return nullptr;
}

}  // namespace smbhub::plugins
