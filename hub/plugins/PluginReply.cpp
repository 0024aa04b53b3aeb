#include "plugins/PluginReply.h"

#include "plugins/AbiViews.h"

namespace smbhub::plugins {
namespace {

// The least an ABI 2.0 plugin supplies in each struct it answers with. A later minor's fields
// are read only where SMBHUB_HAS_FIELD says the plugin's struct reaches them.
constexpr std::size_t kInfo2_0 = SMBHUB_SIZE_THROUGH(smbhub_provider_info, request_limit);
constexpr std::size_t kSettingField2_0 = SMBHUB_SIZE_THROUGH(smbhub_setting_field, description);
constexpr std::size_t kRequest2_0 = SMBHUB_SIZE_THROUGH(smbhub_request, header_count);
constexpr std::size_t kDecision2_0 = SMBHUB_SIZE_THROUGH(smbhub_decision, reason);

PluginReply& self(void* context) { return *static_cast<PluginReply*>(context); }

template <class Struct>
void requireSize(const Struct* value, std::size_t minimum, const char* name) {
    if (!value) throw std::invalid_argument(std::string("the plugin answered a null ") + name);
    if (value->struct_size < minimum) {
        throw std::invalid_argument(std::string("the plugin answered a truncated ") + name + " (" +
                                    std::to_string(value->struct_size) + " bytes, ABI 2.0 has " +
                                    std::to_string(minimum) + ")");
    }
}

void requireArray(const void* items, std::size_t count, const char* name) {
    if (count > 0 && !items) {
        throw std::invalid_argument(std::string("the plugin answered ") + std::to_string(count) + " " +
                                    name + " at a null address");
    }
}

std::vector<sdk::Header> copyHeaders(const smbhub_pair* pairs, std::size_t count) {
    requireArray(pairs, count, "headers");
    std::vector<sdk::Header> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back({copy(pairs[i].name), copy(pairs[i].value)});
    return out;
}

sdk::ProviderInfo copyInfo(const smbhub_provider_info& in) {
    sdk::ProviderInfo out;
    out.id = copy(in.id);
    out.name = copy(in.name);
    out.description = copy(in.description);
    switch (in.kind) {
        case SMBHUB_PROVIDER_WEBHOOK: out.kind = sdk::ProviderKind::Webhook; break;
        case SMBHUB_PROVIDER_OAUTH: out.kind = sdk::ProviderKind::OAuth; break;
        default: throw std::invalid_argument("the plugin described an unknown kind " + std::to_string(in.kind));
    }
    switch (in.status) {
        case SMBHUB_PROVIDER_LIVE: out.status = sdk::ProviderStatus::Live; break;
        case SMBHUB_PROVIDER_COMING_SOON: out.status = sdk::ProviderStatus::ComingSoon; break;
        default: throw std::invalid_argument("the plugin described an unknown status " + std::to_string(in.status));
    }
    requireArray(in.events, in.event_count, "events");
    for (std::size_t i = 0; i < in.event_count; ++i) out.events.push_back(copy(in.events[i]));
    requireArray(in.setting_fields, in.setting_field_count, "setting fields");
    for (std::size_t i = 0; i < in.setting_field_count; ++i) {
        const smbhub_setting_field* field = in.setting_fields[i];
        requireSize(field, kSettingField2_0, "smbhub_setting_field");
        sdk::SettingField setting;
        setting.name = copy(field->name);
        setting.description = copy(field->description);
        setting.required = (field->flags & SMBHUB_SETTING_REQUIRED) != 0;
        setting.secret = (field->flags & SMBHUB_SETTING_SECRET) != 0;
        out.settingFields.push_back(std::move(setting));
    }
    out.requestLimit = in.request_limit;
    return out;
}

sdk::Verdict verdictOf(std::uint32_t code) {
    switch (code) {
        case SMBHUB_VERDICT_DEFAULT: return sdk::Verdict::Default;
        case SMBHUB_VERDICT_SUCCESS: return sdk::Verdict::Success;
        case SMBHUB_VERDICT_RETRY: return sdk::Verdict::Retry;
        case SMBHUB_VERDICT_FAIL_PERMANENTLY: return sdk::Verdict::FailPermanently;
        case SMBHUB_VERDICT_DISABLE_INTEGRATION: return sdk::Verdict::DisableIntegration;
        default: throw std::invalid_argument("the plugin answered an unknown verdict " + std::to_string(code));
    }
}

}  // namespace

PluginReply::PluginReply(Call call)
    : call_(call),
      table_{sizeof(smbhub_reply), 0,          this,     &onFail,     &onDescribe,
             &onSettingsIncomplete,   &onReject, &onRequest, &onDecide, &onOAuthUrl} {}

void PluginReply::check(smbhub_result result) const {
    if (result == SMBHUB_OK && !failed_) {
        if (call_ == Call::Describe && !answered_) throw PluginError("the plugin's describe gave no answer");
        return;
    }
    if (!error_.empty()) throw PluginError(error_);
    if (result != SMBHUB_FAILED && result != SMBHUB_OK) {
        throw PluginError("the plugin returned an unknown result " + std::to_string(result));
    }
    throw PluginError("the plugin failed without saying why");
}

void PluginReply::failWith(std::string message) noexcept {
    if (failed_) return;  // the first message counts
    failed_ = true;
    error_ = std::move(message);
}

template <class Answer>
void PluginReply::accept(const char* name, bool allowed, bool repeatable, Answer&& answer) noexcept {
    try {
        if (failed_) return;
        if (!allowed) throw std::invalid_argument(std::string("the plugin answered with ") + name +
                                                  ", which does not belong to this call");
        if (answered_ && !repeatable) {
            throw std::invalid_argument(std::string("the plugin answered with ") + name + " twice");
        }
        answered_ = true;
        answer();
    } catch (const std::exception& e) {
        failWith(e.what());
    } catch (...) {
        failWith("the plugin's answer could not be read");
    }
}

void PluginReply::onFail(void* context, smbhub_str message) noexcept {
    PluginReply& reply = self(context);
    try {
        std::string text = copy(message);
        reply.failWith(text.empty() ? "the plugin failed without saying why" : std::move(text));
    } catch (const std::exception& e) {
        reply.failWith(e.what());
    }
}

void PluginReply::onDescribe(void* context, const smbhub_provider_info* info) noexcept {
    PluginReply& reply = self(context);
    reply.accept("describe", reply.call_ == Call::Describe, false, [&] {
        requireSize(info, kInfo2_0, "smbhub_provider_info");
        reply.info = copyInfo(*info);
    });
}

void PluginReply::onSettingsIncomplete(void* context) noexcept {
    PluginReply& reply = self(context);
    reply.accept("settings_incomplete", reply.call_ == Call::Configure, false,
                 [&] { reply.configured = false; });
}

void PluginReply::onReject(void* context, smbhub_str field, smbhub_str message) noexcept {
    PluginReply& reply = self(context);
    const bool allowed = reply.call_ == Call::Validate || reply.call_ == Call::OAuthStart;
    reply.accept("reject", allowed, false,
                 [&] { reply.validation = sdk::Validation::reject(copy(field), copy(message)); });
}

void PluginReply::onRequest(void* context, const smbhub_request* request) noexcept {
    PluginReply& reply = self(context);
    reply.accept("request", reply.call_ == Call::Render, true, [&] {
        requireSize(request, kRequest2_0, "smbhub_request");
        sdk::OutboundRequest out;
        out.body = copy(request->body);
        out.headers = copyHeaders(request->headers, request->header_count);
        reply.requests.push_back(std::move(out));
    });
}

void PluginReply::onDecide(void* context, const smbhub_decision* decision) noexcept {
    PluginReply& reply = self(context);
    reply.accept("decide", reply.call_ == Call::Interpret, false, [&] {
        requireSize(decision, kDecision2_0, "smbhub_decision");
        reply.decision.verdict = verdictOf(decision->verdict);
        reply.decision.reason = copy(decision->reason);
    });
}

void PluginReply::onOAuthUrl(void* context, smbhub_str url) noexcept {
    PluginReply& reply = self(context);
    reply.accept("oauth_url", reply.call_ == Call::OAuthStart, false, [&] {
        reply.oauthUrl = copy(url);
        reply.oauthAvailable = true;
    });
}

}  // namespace smbhub::plugins
