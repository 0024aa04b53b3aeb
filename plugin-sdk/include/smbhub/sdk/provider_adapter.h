// Inside a plugin: the C function table of abi.h, implemented by calls on a C++ Provider.
//
// `SMBHUB_PLUGIN(...)` (plugin.h) instantiates `Adapter<YourProvider>` and exports its table;
// authors never use this header directly. Everything here is compiled into the plugin, with the
// plugin's own compiler and C++ library, so no C++ type crosses the boundary:
//   - the hub's C structs (host-owned, valid during the call) are copied into the SDK's value
//     types before the provider sees them;
//   - the provider's answers are handed to the hub's reply functions as C views of the
//     plugin's own strings, which the hub copies before the reply function returns;
//   - every exception stops here and becomes `reply->fail(message)` plus SMBHUB_FAILED: the
//     `what()` of a std::exception, or a fixed sentence for anything else.
//
// Thread-safety: the functions are as thread-safe as the provider's own const members (see
// provider.h). The adapter's only state is one spare set of render inputs per instance (below),
// handed between threads by an atomic exchange.
#ifndef SMBHUB_SDK_PROVIDER_ADAPTER_H
#define SMBHUB_SDK_PROVIDER_ADAPTER_H

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

#include <atomic>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace smbhub {
namespace sdk {
namespace adapter {

// ---- C views of the plugin's values (valid while the viewed string lives) -------------------

inline smbhub_str view(const std::string& text) { return smbhub_str{text.data(), text.size()}; }

inline smbhub_str view(const char* text) { return smbhub_str{text, std::strlen(text)}; }

// ---- Copies of the hub's values -----------------------------------------------------------

inline std::string copy(smbhub_str text) {
    return text.size == 0 ? std::string() : std::string(text.data, text.size);
}

inline std::map<std::string, std::string> copy(const smbhub_pair* pairs, std::size_t count) {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        out.emplace_hint(out.end(), copy(pairs[i].name), copy(pairs[i].value));
    }
    return out;
}

inline std::vector<Header> copyHeaders(const smbhub_pair* pairs, std::size_t count) {
    std::vector<Header> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back({copy(pairs[i].name), copy(pairs[i].value)});
    return out;
}

inline TargetUrl copy(const smbhub_target_url& url) {
    TargetUrl out;
    out.raw = copy(url.raw);
    out.scheme = copy(url.scheme);
    out.host = copy(url.host);
    out.port = url.port;
    out.path = copy(url.path);
    out.query = copy(url.query);
    return out;
}

// ---- The render path's copies, reused ------------------------------------------------------
//
// `render` runs for every delivery. Its inputs are copied into an EventView and an
// IntegrationView that are reused from call to call: `assign` keeps a string's capacity, and the
// settings map keeps its nodes while the keys stay the same (the same integration, or one of
// the same provider), so once warm a render allocates nothing for its inputs. The instance keeps
// one spare set; a render takes it (or makes one when another thread has it) and puts it back.
// A value the provider keeps beyond the call must be copied anyway (abi.h), so reuse changes
// nothing it can see. Strings that grew past kScratchKeep are released after the call, so one
// huge event does not stay pinned to the instance.

constexpr std::size_t kScratchKeep = 64 * 1024;

inline void assign(std::string& to, smbhub_str from) {
    to.resize(from.size);  // within the capacity: no allocation
    if (from.size != 0) std::memcpy(&to[0], from.data, from.size);
}

inline void assign(std::map<std::string, std::string>& to, const smbhub_pair* pairs, std::size_t count) {
    bool sameKeys = to.size() == count;
    auto it = to.begin();
    for (std::size_t i = 0; sameKeys && i < count; ++i, ++it) {
        sameKeys = it->first.size() == pairs[i].name.size &&
                   (pairs[i].name.size == 0 || it->first.compare(0, it->first.size(), pairs[i].name.data,
                                                                 pairs[i].name.size) == 0);
    }
    if (!sameKeys) {
        to = copy(pairs, count);
        return;
    }
    it = to.begin();
    for (std::size_t i = 0; i < count; ++i, ++it) assign(it->second, pairs[i].value);
}

inline void assign(TargetUrl& to, const smbhub_target_url& url) {
    assign(to.raw, url.raw);
    assign(to.scheme, url.scheme);
    assign(to.host, url.host);
    to.port = url.port;
    assign(to.path, url.path);
    assign(to.query, url.query);
}

inline void releaseIfLarge(std::string& text) {
    if (text.capacity() > kScratchKeep) std::string().swap(text);
}

struct RenderScratch {
    EventView event;
    IntegrationView integration;

    void fill(const smbhub_event& e, const smbhub_integration& i) {
        assign(event.id, e.id);
        assign(event.type, e.type);
        assign(event.accountId, e.account_id);
        assign(event.createdAt, e.created_at);
        event.test = e.test != 0;
        assign(event.dataJson, e.data_json);
        assign(event.envelopeJson, e.envelope_json);
        assign(integration.id, i.id);
        assign(integration.accountId, i.account_id);
        assign(integration.displayName, i.display_name);
        assign(integration.target, *i.target);
        assign(integration.settings, i.settings, i.settings_count);
    }

    void trim() {
        releaseIfLarge(event.dataJson);
        releaseIfLarge(event.envelopeJson);
    }
};

// What `create` makes: the author's provider and the adapter's spare render inputs.
template <class ProviderClass>
struct Instance {
    ProviderClass provider;
    std::atomic<RenderScratch*> spare{nullptr};

    Instance() = default;
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    ~Instance() { delete spare.load(); }

    std::unique_ptr<RenderScratch> takeScratch() {
        std::unique_ptr<RenderScratch> scratch(spare.exchange(nullptr, std::memory_order_acquire));
        if (!scratch) scratch.reset(new RenderScratch());
        return scratch;
    }

    void putBack(std::unique_ptr<RenderScratch> scratch) noexcept {
        scratch->trim();
        RenderScratch* expected = nullptr;
        if (spare.compare_exchange_strong(expected, scratch.get(), std::memory_order_release)) {
            scratch.release();  // kept as the spare; otherwise another thread's is, and this goes
        }
    }
};

inline IntegrationInput copy(const smbhub_integration_input& input) {
    IntegrationInput out;
    out.target = copy(*input.target);
    out.settings = copy(input.settings, input.settings_count);
    return out;
}

inline EventView copy(const smbhub_event& event) {
    EventView out;
    out.id = copy(event.id);
    out.type = copy(event.type);
    out.accountId = copy(event.account_id);
    out.createdAt = copy(event.created_at);
    out.test = event.test != 0;
    out.dataJson = copy(event.data_json);
    out.envelopeJson = copy(event.envelope_json);
    return out;
}

inline IntegrationView copy(const smbhub_integration& integration) {
    IntegrationView out;
    out.id = copy(integration.id);
    out.accountId = copy(integration.account_id);
    out.displayName = copy(integration.display_name);
    out.target = copy(*integration.target);
    out.settings = copy(integration.settings, integration.settings_count);
    return out;
}

inline ResponseView copy(const smbhub_response& response) {
    ResponseView out;
    out.status = response.status;
    out.headers = copyHeaders(response.headers, response.header_count);
    out.bodyPrefix = copy(response.body_prefix);
    return out;
}

inline OAuthStartRequest copy(const smbhub_oauth_request& request) {
    OAuthStartRequest out;
    out.state = copy(request.state);
    out.query = copy(request.query, request.query_count);
    return out;
}

// ---- Answers through the reply -------------------------------------------------------------

inline std::uint32_t verdictCode(Verdict verdict) {
    switch (verdict) {
        case Verdict::Success:
            return SMBHUB_VERDICT_SUCCESS;
        case Verdict::Retry:
            return SMBHUB_VERDICT_RETRY;
        case Verdict::FailPermanently:
            return SMBHUB_VERDICT_FAIL_PERMANENTLY;
        case Verdict::DisableIntegration:
            return SMBHUB_VERDICT_DISABLE_INTEGRATION;
        case Verdict::Default:
            break;
    }
    return SMBHUB_VERDICT_DEFAULT;
}

inline void replyInfo(const ProviderInfo& info, const smbhub_reply& reply) {
    std::vector<smbhub_str> events;
    events.reserve(info.events.size());
    for (const std::string& event : info.events) events.push_back(view(event));
    std::vector<smbhub_setting_field> fields;
    fields.reserve(info.settingFields.size());
    for (const SettingField& field : info.settingFields) {
        std::uint32_t flags = 0;
        if (field.required) flags |= SMBHUB_SETTING_REQUIRED;
        if (field.secret) flags |= SMBHUB_SETTING_SECRET;
        fields.push_back({sizeof(smbhub_setting_field), flags, view(field.name), view(field.description)});
    }
    std::vector<const smbhub_setting_field*> fieldPointers;
    fieldPointers.reserve(fields.size());
    for (const smbhub_setting_field& field : fields) fieldPointers.push_back(&field);

    smbhub_provider_info out{};
    out.struct_size = sizeof out;
    out.kind = info.kind == ProviderKind::OAuth ? SMBHUB_PROVIDER_OAUTH : SMBHUB_PROVIDER_WEBHOOK;
    out.status = info.status == ProviderStatus::ComingSoon ? SMBHUB_PROVIDER_COMING_SOON
                                                          : SMBHUB_PROVIDER_LIVE;
    out.id = view(info.id);
    out.name = view(info.name);
    out.description = view(info.description);
    out.events = events.data();
    out.event_count = events.size();
    out.setting_fields = fieldPointers.data();
    out.setting_field_count = fieldPointers.size();
    out.request_limit = info.requestLimit;
    reply.describe(reply.context, &out);
}

inline void replyRequests(const std::vector<OutboundRequest>& requests, const smbhub_reply& reply) {
    std::vector<smbhub_pair> headers;
    for (const OutboundRequest& request : requests) {
        headers.clear();
        for (const Header& header : request.headers) headers.push_back({view(header.name), view(header.value)});
        const smbhub_request out{sizeof(smbhub_request), 0, view(request.body), headers.data(), headers.size()};
        reply.request(reply.context, &out);
    }
}

// Runs `body`; whatever it throws stops here and becomes the call's failure.
template <class Body>
smbhub_result guarded(const smbhub_reply* reply, Body&& body) noexcept {
    try {
        body();
        return SMBHUB_OK;
    } catch (const std::exception& e) {
        reply->fail(reply->context, view(e.what()));
    } catch (...) {
        reply->fail(reply->context, view("the plugin threw an exception that is not a std::exception"));
    }
    return SMBHUB_FAILED;
}

// ---- The table -----------------------------------------------------------------------------

template <class ProviderClass>
struct Adapter {
    static Instance<ProviderClass>& self(void* instance) {
        return *static_cast<Instance<ProviderClass>*>(instance);
    }
    static const ProviderClass& provider(void* instance) { return self(instance).provider; }

    static smbhub_result create(void** instance, const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] { *instance = new Instance<ProviderClass>(); });
    }

    static void destroy(void* instance) noexcept {
        try {
            delete static_cast<Instance<ProviderClass>*>(instance);
        } catch (...) {  // a throwing destructor: nothing can be reported any more
        }
    }

    static smbhub_result describe(void* instance, const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] { replyInfo(provider(instance).describe(), *reply); });
    }

    static smbhub_result configure(void* instance, const smbhub_pair* settings, std::size_t count,
                                   const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] {
            if (!self(instance).provider.configure(copy(settings, count))) {
                reply->settings_incomplete(reply->context);
            }
        });
    }

    static smbhub_result validate(void* instance, const smbhub_integration_input* input,
                                  const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] {
            const Validation verdict = provider(instance).validate(copy(*input));
            if (!verdict.ok) reply->reject(reply->context, view(verdict.field), view(verdict.message));
        });
    }

    static smbhub_result render(void* instance, const smbhub_event* event,
                                const smbhub_integration* integration,
                                const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] {
            std::unique_ptr<RenderScratch> scratch = self(instance).takeScratch();
            try {
                scratch->fill(*event, *integration);
                replyRequests(provider(instance).render(scratch->event, scratch->integration), *reply);
            } catch (...) {
                self(instance).putBack(std::move(scratch));
                throw;
            }
            self(instance).putBack(std::move(scratch));
        });
    }

    static smbhub_result interpret(void* instance, const smbhub_response* response,
                                   const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] {
            const ResponseDecision decision = provider(instance).interpret(copy(*response));
            if (decision.verdict == Verdict::Default && decision.reason.empty()) return;
            const smbhub_decision out{sizeof(smbhub_decision), verdictCode(decision.verdict),
                                      view(decision.reason)};
            reply->decide(reply->context, &out);
        });
    }

    static smbhub_result oauthStart(void* instance, const smbhub_oauth_request* request,
                                    const smbhub_reply* reply) noexcept {
        return guarded(reply, [&] {
            const OAuthStart start = provider(instance).oauthStart(copy(*request));
            if (!start.input.ok) {
                reply->reject(reply->context, view(start.input.field), view(start.input.message));
            } else if (start.available) {
                reply->oauth_url(reply->context, view(start.url));
            }
        });
    }

    static constexpr smbhub_provider_functions functions = {
        sizeof(smbhub_provider_functions), 0, &create, &destroy, &describe, &validate,
        &render, &configure, &interpret, &oauthStart};
};

// The descriptor for `ProviderClass`. The ABI version is read here, where this header is
// compiled, so nothing a plugin defines later can change it.
template <class ProviderClass>
constexpr smbhub_plugin_descriptor descriptor(const char* id, const char* version) {
    static_assert(std::is_base_of<Provider, ProviderClass>::value,
                  "SMBHUB_PLUGIN needs a class derived from smbhub::sdk::Provider");
    return smbhub_plugin_descriptor{sizeof(smbhub_plugin_descriptor),
                                    SMBHUB_SDK_ABI_MAJOR,
                                    SMBHUB_SDK_ABI_MINOR,
                                    0,
                                    id,
                                    version,
                                    &Adapter<ProviderClass>::functions};
}

}  // namespace adapter
}  // namespace sdk
}  // namespace smbhub

#endif  // SMBHUB_SDK_PROVIDER_ADAPTER_H
