// A provider that lives in a plugin library, reached only through the C function table of its
// ABI 2 descriptor (abi.h): the hub's one C++ face of a plugin.
//
// It keeps the call shape the hub always used (`describe`, `configure`, `validate`, `render`,
// `interpret`, `oauthStart` with the SDK's value types), so the API and the delivery engine do
// not know a C boundary is there. Arguments are passed as C views of the caller's values; the
// plugin's answers are copied back through a PluginReply. A failure the plugin reports (its
// exception, caught inside the plugin by the SDK, or a C plugin's SMBHUB_FAILED) is thrown here
// as PluginError carrying the plugin's message, which the callers already turn into a refused
// request or a failed attempt.
//
// The table is kept only as far as the plugin's struct_size reaches; a function beyond it, or
// null, is absent and its call gives the SDK's default (configured; the hub's verdict; no
// OAuth). So the hub calls nothing a plugin's minor lacks.
//
// Thread-safety: `configure` once, before anything else; `describe`, `validate`, `render`,
// `interpret` and `oauthStart` from any number of threads at once (abi.h asks the same of the
// plugin). The library must stay loaded until the object is destroyed.
#pragma once

#include <vector>

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

#include "plugins/PluginReply.h"

namespace smbhub::plugins {

class PluginProvider {
public:
    // Creates the plugin's instance with `functions.create`; throws PluginError if it fails.
    explicit PluginProvider(const smbhub_provider_functions& functions);
    ~PluginProvider();  // the plugin's `destroy`
    PluginProvider(const PluginProvider&) = delete;
    PluginProvider& operator=(const PluginProvider&) = delete;

    sdk::ProviderInfo describe() const;
    bool configure(const sdk::PluginSettings& settings);
    sdk::Validation validate(const sdk::IntegrationInput& input) const;
    std::vector<sdk::OutboundRequest> render(const sdk::EventView& event,
                                             const sdk::IntegrationView& integration) const;
    sdk::ResponseDecision interpret(const sdk::ResponseView& response) const;
    sdk::OAuthStart oauthStart(const sdk::OAuthStartRequest& request) const;

private:
    smbhub_provider_functions functions_{};  // zero beyond the plugin's struct_size
    void* instance_ = nullptr;
};

}  // namespace smbhub::plugins
