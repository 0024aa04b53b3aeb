// A provider whose calls throw: validate for a target URL containing "explode", render always.
// The hub must turn each exception into a refused request or a failed attempt carrying the
// message below, and carry on with everything else.
#include <smbhub/sdk/plugin.h>

#include <stdexcept>

namespace {

using namespace smbhub::sdk;

class ThrowingProvider final : public Provider {
public:
    ProviderInfo describe() const override {
        ProviderInfo info;
        info.id = "throwing";
        info.name = "Throwing Test Provider";
        info.description = "Throws from validate and render (tests only)";
        info.events = {"lead.created"};
        return info;
    }

    Validation validate(const IntegrationInput& input) const override {
        if (input.target.raw.find("explode") != std::string::npos) {
            throw std::runtime_error("throwing plugin: validate exploded on " + input.target.path);
        }
        return Validation::accept();
    }

    std::vector<OutboundRequest> render(const EventView& event,
                                        const IntegrationView&) const override {
        throw std::runtime_error("throwing plugin: render exploded on " + event.type);
    }
};

}  // namespace

SMBHUB_PLUGIN(ThrowingProvider, "throwing", "0.0.1")
