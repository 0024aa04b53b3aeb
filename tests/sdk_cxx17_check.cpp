// Compiled as C++17 only: proves a third party can build against the SDK without C++20.
#include <smbhub/sdk/plugin.h>

namespace {
class Cxx17Provider final : public smbhub::sdk::Provider {
public:
    smbhub::sdk::ProviderInfo describe() const override { return {}; }
    smbhub::sdk::Validation validate(const smbhub::sdk::IntegrationInput&) const override {
        return smbhub::sdk::Validation::accept();
    }
    std::vector<smbhub::sdk::OutboundRequest> render(
        const smbhub::sdk::EventView&, const smbhub::sdk::IntegrationView&) const override {
        return {};
    }
};
}  // namespace

static_assert(__cplusplus == 201703L, "this check must be compiled as C++17");
SMBHUB_PLUGIN(Cxx17Provider, "cxx17-check", "0.0.0")
