#include "delivery/TargetCache.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/Clock.h"
#include "destinations/TargetUrlPolicy.h"

namespace smbhub::delivery {

namespace {
constexpr std::size_t kMaxEntries = 100000;  // bounded memory; a miss costs one read
}

TargetCache::TargetCache(store::IntegrationStore& integrations, const plugins::PluginHost& plugins,
                         const integrations::IntegrationVault& vault, std::chrono::milliseconds maxAge)
    : integrations_(integrations), plugins_(plugins), vault_(vault), maxAge_(maxAge) {}

std::shared_ptr<const DeliveryTarget> TargetCache::get(const std::string& integrationId) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(integrationId); it != cache_.end()) {
            if (maxAge_.count() == 0 || now - it->second.loadedAt < maxAge_) return it->second.target;
        }
    }
    const auto integration = integrations_.byId(integrationId);
    if (!integration) return nullptr;
    auto target = prepare(*integration);
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kMaxEntries) cache_.clear();
    cache_[integrationId] = Entry{target, now};
    return target;
}

void TargetCache::forget(const std::string& integrationId) {
    std::lock_guard lock(mutex_);
    cache_.erase(integrationId);
}

std::shared_ptr<const DeliveryTarget> TargetCache::prepare(const store::Integration& i) const {
    auto target = std::make_shared<DeliveryTarget>();
    target->view.id = i.id;
    target->view.accountId = i.accountId;
    target->view.displayName = i.displayName;
    target->provider = plugins_.find(i.provider);
    if (!target->provider) {
        target->problem = "provider \"" + i.provider + "\" is not loaded in this hub";
        return target;
    }
    if (target->provider->info.status != sdk::ProviderStatus::Live) {
        target->problem = "provider \"" + i.provider + "\" is not live yet: it cannot receive deliveries";
        target->problemIsFinal = true;
        return target;
    }
    // Network rules are enforced again at connect time by the sender; here only the shape.
    const destinations::TargetUrlCheck url = destinations::checkTargetUrl(i.targetUrl, {true, true});
    if (!url.url) {
        target->problem = "targetUrl is no longer valid: " + url.error;
        target->problemIsFinal = true;
        return target;
    }
    target->view.target = *url.url;
    const auto secret = vault_.openSigningSecrets(i, core::nowMillis());
    const auto secretSettings = vault_.openSettings(i);
    if (!secret || !secretSettings) {
        target->problem = "the integration's secrets cannot be decrypted with the configured secrets.key";
        return target;
    }
    target->signingSecrets = *secret;
    target->rateLimitPerSecond = i.rateLimitPerSecond;
    target->view.settings = *secretSettings;
    const auto settings = Poco::JSON::Parser().parse(i.settingsJson).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *settings) target->view.settings[key] = value.convert<std::string>();
    return target;
}

}  // namespace smbhub::delivery
