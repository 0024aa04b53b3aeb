// What the engine needs to send to an integration, prepared once: its provider, the plugin's
// view of it (parsed URL, settings with secrets opened) and its signing secret. The parts an
// API client can change (name, status, events) are not here, so entries never go stale;
// the claim query already skips integrations that are not active.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <smbhub/sdk/provider.h>

#include "integrations/IntegrationVault.h"
#include "plugins/PluginHost.h"
#include "store/Store.h"

namespace smbhub::delivery {

struct DeliveryTarget {
    const plugins::LoadedProvider* provider = nullptr;
    sdk::IntegrationView view;
    std::string signingSecret;
    std::string problem;        // why it cannot be delivered to; empty when it can
    bool problemIsFinal = false;  // retrying cannot help (e.g. provider not live)
};

class TargetCache {
public:
    TargetCache(store::Store& store, const plugins::PluginHost& plugins,
                const integrations::IntegrationVault& vault);

    // nullptr when the integration no longer exists.
    std::shared_ptr<const DeliveryTarget> get(const std::string& integrationId);

private:
    std::shared_ptr<const DeliveryTarget> prepare(const store::Integration& integration) const;

    store::Store& store_;
    const plugins::PluginHost& plugins_;
    const integrations::IntegrationVault& vault_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const DeliveryTarget>> cache_;
};

}  // namespace smbhub::delivery
