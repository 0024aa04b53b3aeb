// One plugin call's answer, collected from the reply functions of abi.h that the plugin calls.
//
// The hub hands `table()` to the plugin function; the plugin calls `fail`, `describe`,
// `request`, … on it; each of them copies what it is given (the plugin's buffers need only live
// for that call) and never throws. `check` then turns the call's result into either the answer
// or a PluginError carrying the plugin's message. A call may use only the reply functions that
// belong to it, each answer at most once (`request` any number of times); anything else fails
// the call. Plugin-owned structs are read only as far as their struct_size reaches.
//
// Thread-safety: one object per call, used on the calling thread only.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

namespace smbhub::plugins {

// A failure a plugin reported (an error value, not a C++ exception crossing the boundary).
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class PluginReply {
public:
    enum class Call { Create, Describe, Configure, Validate, Render, Interpret, OAuthStart };

    explicit PluginReply(Call call);
    PluginReply(const PluginReply&) = delete;
    PluginReply& operator=(const PluginReply&) = delete;

    const smbhub_reply* table() const { return &table_; }

    // Throws PluginError when the call failed: it returned SMBHUB_FAILED (or anything but
    // SMBHUB_OK), called `fail`, or answered wrongly.
    void check(smbhub_result result) const;

    // The answers, valid after `check` returned.
    sdk::ProviderInfo info;                       // describe
    bool configured = true;                       // configure
    sdk::Validation validation;                   // validate, oauth_start (a refused parameter)
    std::vector<sdk::OutboundRequest> requests;   // render
    sdk::ResponseDecision decision;               // interpret
    bool oauthAvailable = false;                  // oauth_start
    std::string oauthUrl;

private:
    static void onFail(void* context, smbhub_str message) noexcept;
    static void onDescribe(void* context, const smbhub_provider_info* info) noexcept;
    static void onSettingsIncomplete(void* context) noexcept;
    static void onReject(void* context, smbhub_str field, smbhub_str message) noexcept;
    static void onRequest(void* context, const smbhub_request* request) noexcept;
    static void onDecide(void* context, const smbhub_decision* decision) noexcept;
    static void onOAuthUrl(void* context, smbhub_str url) noexcept;

    // Runs `answer` if `name` belongs to this call and has not answered yet (unless `repeatable`);
    // any exception it throws becomes the call's failure.
    template <class Answer>
    void accept(const char* name, bool allowed, bool repeatable, Answer&& answer) noexcept;
    void failWith(std::string message) noexcept;

    Call call_;
    bool failed_ = false;
    bool answered_ = false;
    std::string error_;
    smbhub_reply table_;
};

}  // namespace smbhub::plugins
