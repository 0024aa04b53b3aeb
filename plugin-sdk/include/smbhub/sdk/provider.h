// The provider interface a plugin author implements, and the plain C++ values it works with.
//
// A provider describes itself, validates an integration's destination and settings, turns one
// event into one or more outbound requests, and may interpret a receiver's response. It never
// sends anything: routing, HMAC signing, delivery, retries and logging belong to the hub, which
// adds and owns the signature and X-SMB-* headers (a plugin's headers cannot replace them).
//
// These types never cross the library boundary: the SDK's adapter (provider_adapter.h, compiled
// into the plugin) converts them to and from the C structs of abi.h, so the plugin may be built
// with any C++17 compiler and standard library.
//
// Thread-safety: the hub calls `describe`, `validate`, `render`, `interpret` and `oauthStart`
// from several threads at once, after `configure` has returned. Implementations must keep them
// free of unsynchronised mutable state. Any exception they throw is caught inside the plugin by
// the adapter and reaches the hub as an error value carrying its message: a refused request or
// a failed attempt.
//
// Only standard-library types appear here so that plugin authors need nothing but a C++17
// compiler; parse `EventView::dataJson` with any JSON library you like.
#ifndef SMBHUB_SDK_PROVIDER_H
#define SMBHUB_SDK_PROVIDER_H

#include <map>
#include <string>
#include <vector>

namespace smbhub {
namespace sdk {

enum class ProviderKind { Webhook, OAuth };
enum class ProviderStatus { Live, ComingSoon };

// A field of an integration's `settings` object that the provider accepts.
struct SettingField {
    std::string name;
    std::string description;
    bool required = false;
    bool secret = false;  // encrypted at rest by the hub, never returned by the API
};

struct ProviderInfo {
    std::string id;           // stable, lower case: "webhook", "zapier", …
    std::string name;         // shown to people: "Generic Webhook"
    ProviderKind kind = ProviderKind::Webhook;
    ProviderStatus status = ProviderStatus::Live;
    std::string description;
    std::vector<std::string> events;              // event types it can receive
    std::vector<SettingField> settingFields;      // what `settings` may contain
    // Requests one destination accepts in its lifetime (Clay: about 50,000 rows per webhook
    // source); 0 = no limit. The hub counts requests sent and warns before the limit.
    unsigned long long requestLimit = 0;
};

// Free-form settings of the plugin from the operator's YAML (`plugins.settings.<id>`), flattened
// to dotted keys: `{oauth: {scope: x}}` becomes "oauth.scope" -> "x".
using PluginSettings = std::map<std::string, std::string>;

// An absolute URL already parsed and normalised by the hub (scheme and host lower case).
struct TargetUrl {
    std::string raw;
    std::string scheme;
    std::string host;
    int port = 443;
    std::string path;   // "/" at least
    std::string query;  // without '?'
};

// Input to validate when an integration is created or changed.
struct IntegrationInput {
    TargetUrl target;
    std::map<std::string, std::string> settings;
};

// Outcome of a validation: accepted, or refused with the offending field and a sentence.
struct Validation {
    bool ok = true;
    std::string field;
    std::string message;

    static Validation accept() { return Validation{}; }
    static Validation reject(std::string field, std::string message) {
        Validation v;
        v.ok = false;
        v.field = std::move(field);
        v.message = std::move(message);
        return v;
    }
};

// The event as the hub will deliver it by default.
struct EventView {
    std::string id;           // evt_…
    std::string type;         // lead.created, …
    std::string accountId;
    std::string createdAt;    // ISO 8601 UTC
    bool test = false;
    std::string dataJson;     // the event's `data` object, serialised
    std::string envelopeJson; // the default delivered body: {"id","type","createdAt","accountId","test"?,"data"}
};

// The integration being delivered to; `settings` includes decrypted secret fields.
struct IntegrationView {
    std::string id;
    std::string accountId;
    std::string displayName;
    TargetUrl target;
    std::map<std::string, std::string> settings;
};

struct Header {
    std::string name;
    std::string value;
};

// One HTTP POST to the integration's target URL. The hub signs `body` exactly as given.
struct OutboundRequest {
    std::string body;
    std::vector<Header> headers;  // extra headers; reserved ones (X-SMB-*, Content-Type, Host,
                                  // Content-Length, User-Agent, Connection, webhook-id,
                                  // webhook-timestamp, webhook-signature, svix-id,
                                  // svix-timestamp, svix-signature) are ignored
};

struct ResponseView {
    int status = 0;
    std::vector<Header> headers;
    std::string bodyPrefix;  // at most the first 1 KiB
};

// What the provider makes of a response. `Default` lets the hub decide (2xx success, else retry).
enum class Verdict { Default, Success, Retry, FailPermanently, DisableIntegration };

struct ResponseDecision {
    Verdict verdict = Verdict::Default;
    std::string reason;  // recorded in the attempt / the integration's statusReason
};

// OAuth providers: the authorization URL for `state`. `available == false` means the provider
// is not configured (no client id): the API answers 503 provider_unavailable.
struct OAuthStartRequest {
    std::string state;
    std::map<std::string, std::string> query;  // the start request's query, e.g. env=sandbox
};

struct OAuthStart {
    bool available = false;
    std::string url;
    Validation input;  // a refused query parameter (e.g. env=staging) → 400 naming it
};

class Provider {
public:
    virtual ~Provider() = default;

    virtual ProviderInfo describe() const = 0;

    // Called once after loading with the operator's settings. Returns false when the provider
    // lacks what it needs (e.g. an OAuth client id): it is then listed with `available: false`.
    virtual bool configure(const PluginSettings& settings) {
        (void)settings;
        return true;
    }

    virtual Validation validate(const IntegrationInput& input) const = 0;

    virtual std::vector<OutboundRequest> render(const EventView& event,
                                                const IntegrationView& integration) const = 0;

    virtual ResponseDecision interpret(const ResponseView& response) const {
        (void)response;
        return ResponseDecision{};
    }

    virtual OAuthStart oauthStart(const OAuthStartRequest& request) const {
        (void)request;
        return OAuthStart{};
    }
};

}  // namespace sdk
}  // namespace smbhub

#endif  // SMBHUB_SDK_PROVIDER_H
