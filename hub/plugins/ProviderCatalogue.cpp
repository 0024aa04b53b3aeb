#include "plugins/ProviderCatalogue.h"

#include <utility>

#include "events/EventTypes.h"

namespace smbhub::plugins {
namespace {

sdk::ProviderInfo entry(const char* id, const char* name, sdk::ProviderKind kind, sdk::ProviderStatus status,
                        const char* description) {
    sdk::ProviderInfo info;
    info.id = id;
    info.name = name;
    info.kind = kind;
    info.status = status;
    info.description = description;
    info.events = events::eventTypes();
    return info;
}

}  // namespace

const std::vector<sdk::ProviderInfo>& seedProviders() {
    using sdk::ProviderKind;
    using sdk::ProviderStatus;
    static const std::vector<sdk::ProviderInfo> all = {
        entry("hubspot", "HubSpot", ProviderKind::OAuth, ProviderStatus::ComingSoon,
              "Per-user OAuth, upserts Contacts and Companies"),
        entry("salesforce", "Salesforce", ProviderKind::OAuth, ProviderStatus::ComingSoon,
              "Per-user OAuth, upserts Leads in Production or Sandbox"),
        entry("pipedrive", "Pipedrive", ProviderKind::OAuth, ProviderStatus::ComingSoon,
              "Per-user OAuth, upserts Persons and Organizations; per-company API domain handled automatically"),
        entry("zapier", "Zapier", ProviderKind::Webhook, ProviderStatus::Live,
              "Webhook trigger URL with HMAC signature"),
        entry("n8n", "n8n", ProviderKind::Webhook, ProviderStatus::Live, "Webhook node with HMAC signature"),
        entry("make", "Make.com", ProviderKind::Webhook, ProviderStatus::Live,
              "Custom webhook trigger with HMAC signature"),
        entry("pipedream", "Pipedream", ProviderKind::Webhook, ProviderStatus::Live,
              "HTTP source workflow with HMAC signature"),
        entry("clay", "Clay", ProviderKind::Webhook, ProviderStatus::Live,
              "Clay table \"Import data\" webhook with HMAC-signed JSON rows"),
        entry("webhook", "Generic Webhook", ProviderKind::Webhook, ProviderStatus::Live,
              "Any HTTPS endpoint, signed JSON payload"),
    };
    return all;
}

const sdk::ProviderInfo* findSeedProvider(const std::string& id) {
    for (const auto& provider : seedProviders()) {
        if (provider.id == id) return &provider;
    }
    return nullptr;
}

std::string seedUrlHint(const std::string& id) {
    static const std::pair<const char*, const char*> hints[] = {
        {"webhook", "Any https:// URL, like https://example.com/webhooks/smb"},
        {"zapier", "A Zapier Catch Hook URL, like https://hooks.zapier.com/hooks/catch/123456/abcdef/"},
        {"n8n", "An n8n Webhook node URL with /webhook/ or /webhook-test/, like https://acme.app.n8n.cloud/webhook/leads"},
        {"make", "A Make custom webhook URL, like https://hook.eu1.make.com/abc123def456"},
        {"pipedream", "A Pipedream HTTP source URL, like https://eo1a2b3c4d5e6f7.m.pipedream.net"},
        {"clay", "A Clay table \"Import data\" webhook URL, like "
                 "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-<id>"},
    };
    for (const auto& [provider, hint] : hints) {
        if (id == provider) return hint;
    }
    return "";
}

}  // namespace smbhub::plugins
