// A plugin built against an ABI the hub does not speak (the target sets SMBHUB_SDK_ABI_MAJOR or
// SMBHUB_SDK_ABI_MINOR, and TEST_PLUGIN_ID). The hub must refuse it from its descriptor alone;
// should it ever create the provider, the provider says so loudly in every call.
#include <smbhub/sdk/plugin.h>

#include <stdexcept>

#ifndef TEST_PLUGIN_ID
#error "TEST_PLUGIN_ID must be set by the target"
#endif

namespace {

using namespace smbhub::sdk;

class FutureAbiProvider final : public Provider {
public:
    FutureAbiProvider() { throw std::logic_error("a refused plugin's factory was called"); }

    ProviderInfo describe() const override {
        ProviderInfo info;
        info.id = TEST_PLUGIN_ID;
        info.name = "Future ABI";
        return info;
    }
    Validation validate(const IntegrationInput&) const override {
        return Validation::reject("targetUrl", "a refused plugin was called");
    }
    std::vector<OutboundRequest> render(const EventView&, const IntegrationView&) const override {
        throw std::logic_error("a refused plugin was called");
    }
};

}  // namespace

SMBHUB_PLUGIN(FutureAbiProvider, TEST_PLUGIN_ID, "9.9.9")
