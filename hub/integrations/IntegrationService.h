// What can be done with an account's integrations, whoever asks (the REST API, the dashboard
// through it): create one for a webhook provider, change its name, status or events, delete it,
// and look them up. It owns the rules — which provider may be used, which settings it takes and
// which of them are secret (sealed at rest), the target URL policy, the plugin's own validation —
// and tells the rest of the hub when an integration changed (so cached delivery targets are
// dropped and held deliveries may flow).
//
// Errors a client can cause are values (IntegrationProblem), never exceptions; a database that
// cannot be reached still throws store::StoreUnavailable.
//
// Thread-safety: every method may be called from any thread at once; the service keeps no
// mutable state of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "destinations/TargetUrlPolicy.h"
#include "integrations/IntegrationVault.h"
#include "plugins/PluginHost.h"
#include "store/IntegrationStore.h"

namespace smbhub::integrations {

// Why a request about an integration cannot be done; the API turns `kind` into a status.
struct IntegrationProblem {
    enum class Kind {
        Invalid,              // 400: bad input, `field` names it
        ProviderUnavailable,  // 503: the provider exists but cannot be used on this hub
        NotFound,             // 404: no such integration for this account
        Conflict,             // 409: not possible in its current state
    };
    Kind kind = Kind::Invalid;
    std::string message;
    std::string field;
};

template <typename T>
using Outcome = std::variant<T, IntegrationProblem>;

// A new webhook integration as the client described it (JSON types already checked).
struct NewIntegration {
    std::string provider;
    std::string displayName;
    std::string targetUrl;
    std::vector<std::string> events;
    std::map<std::string, std::string> settings;
    int rateLimitPerSecond = 0;  // 0: no limit
};

struct CreatedIntegration {
    store::Integration integration;
    std::string signingSecret;  // shown to the client once, never stored in the clear
};

// What a PATCH changes; absent members stay as they are.
struct IntegrationChange {
    std::optional<std::string> displayName;
    std::optional<std::string> status;  // "active" or "paused"
    std::optional<std::vector<std::string>> events;
    std::optional<int> rateLimitPerSecond;  // 0 removes the limit
};

// A rotated signing secret (SPEC §15): the new one, shown to the client once, and when the one
// it replaced stops signing.
struct RotatedSecret {
    std::string signingSecret;
    std::int64_t previousSecretExpiresAt = 0;  // Unix ms
};

class IntegrationService {
public:
    // `changed` is called with the id of every integration created, changed or deleted.
    IntegrationService(store::IntegrationStore& integrations, const plugins::PluginHost& plugins, const IntegrationVault& vault,
                       destinations::TargetUrlRules urlRules, std::function<void(const std::string&)> changed);

    Outcome<CreatedIntegration> create(const std::string& accountId, const NewIntegration& request) const;
    Outcome<store::Integration> change(const std::string& accountId, const std::string& id,
                                       const IntegrationChange& request) const;
    // Gives the integration a new signing secret; the one it replaces keeps signing beside it for
    // `overlapSeconds` (0 … kMaxOverlapSeconds), then stops.
    Outcome<RotatedSecret> rotateSecret(const std::string& accountId, const std::string& id,
                                        std::int64_t overlapSeconds) const;
    // Deletes it and cancels its pending deliveries.
    std::optional<IntegrationProblem> remove(const std::string& accountId, const std::string& id) const;

    // The account's own integration, or NotFound (another account's integration does not exist).
    Outcome<store::Integration> find(const std::string& accountId, const std::string& id) const;
    std::vector<store::Integration> list(const std::string& accountId) const;
    // Requests its provider lets one destination accept in its lifetime (0 = no limit).
    unsigned long long requestLimit(const store::Integration& integration) const;

    static constexpr std::size_t kMaxDisplayName = 200;
    static constexpr std::size_t kMaxSettingValue = 4096;
    static constexpr std::int64_t kMaxOverlapSeconds = 7 * 24 * 3600;
    static constexpr std::int64_t kDefaultOverlapSeconds = 24 * 3600;
    static constexpr int kMaxRateLimitPerSecond = 10000;

private:
    Outcome<const plugins::LoadedProvider*> webhookProvider(const std::string& id) const;

    store::IntegrationStore& store_;
    const plugins::PluginHost& plugins_;
    const IntegrationVault& vault_;
    const destinations::TargetUrlRules urlRules_;
    const std::function<void(const std::string&)> changed_;
};

}  // namespace smbhub::integrations
