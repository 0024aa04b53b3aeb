// What the engine needs to send to an integration, prepared once: its provider, the plugin's
// view of it (parsed URL, name, settings with secrets opened), its signing secrets (the
// previous one of a rotation stops signing by itself when it expires: SigningSecrets) and its
// rate limit.
//
// An entry is dropped when this process changes the integration (IntegrationService calls
// forget()), and — when several processes share the database — reloaded once it is older than
// `maxAge`, so a change made through another process (a new name, a rotated secret) is used
// within that time. Status and events are not cached here: claims and fan-out read them.
//
// Thread-safety: get() and forget() may be called from any thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <smbhub/sdk/provider.h>

#include "integrations/IntegrationVault.h"
#include "plugins/PluginHost.h"
#include "store/IntegrationStore.h"

namespace smbhub::delivery {

struct DeliveryTarget {
    const plugins::LoadedProvider* provider = nullptr;
    sdk::IntegrationView view;
    integrations::SigningSecrets signingSecrets;
    int rateLimitPerSecond = 0;  // 0: none
    std::string problem;        // why it cannot be delivered to; empty when it can
    bool problemIsFinal = false;  // retrying cannot help (e.g. provider not live)
};

class TargetCache {
public:
    // `maxAge` 0: entries live until forgotten (one process owns the database).
    TargetCache(store::IntegrationStore& integrations, const plugins::PluginHost& plugins,
                const integrations::IntegrationVault& vault,
                std::chrono::milliseconds maxAge = std::chrono::milliseconds(0));

    // nullptr when the integration no longer exists.
    std::shared_ptr<const DeliveryTarget> get(const std::string& integrationId);
    // The integration changed: prepare it afresh next time.
    void forget(const std::string& integrationId);

private:
    std::shared_ptr<const DeliveryTarget> prepare(const store::Integration& integration) const;

    store::IntegrationStore& integrations_;
    const plugins::PluginHost& plugins_;
    const integrations::IntegrationVault& vault_;
    struct Entry {
        std::shared_ptr<const DeliveryTarget> target;
        std::chrono::steady_clock::time_point loadedAt;
    };
    const std::chrono::milliseconds maxAge_;
    std::mutex mutex_;
    std::map<std::string, Entry> cache_;
};

}  // namespace smbhub::delivery
