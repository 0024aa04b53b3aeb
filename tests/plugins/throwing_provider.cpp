// A provider whose calls throw: validate for a target URL containing "explode" (a
// std::runtime_error) or "odd-throw" (an int, not a std::exception), render always. The SDK's
// adapter must stop each exception inside the plugin and hand the hub an error value; the hub
// turns it into a refused request or a failed attempt carrying the message, and carries on.
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
        if (input.target.raw.find("odd-throw") != std::string::npos) throw 42;
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
