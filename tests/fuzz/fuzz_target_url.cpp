// libFuzzer: a targetUrl as a client sends it, through the URL policy with every rule set. An
// accepted URL must be https (or http when allowed), have a host, and — without
// allowPrivateNetworks — not be an IP literal in a forbidden range.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "destinations/AddressPolicy.h"
#include "destinations/TargetUrlPolicy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string raw(reinterpret_cast<const char*>(data), size);
    using namespace smbhub::destinations;
    for (const TargetUrlRules rules : {TargetUrlRules{false, false}, TargetUrlRules{true, false},
                                       TargetUrlRules{false, true}, TargetUrlRules{true, true}}) {
        const TargetUrlCheck check = checkTargetUrl(raw, rules);
        if (!check.url) continue;
        const auto& url = *check.url;
        if (url.host.empty()) std::abort();
        if (url.scheme != "https" && !(rules.allowHttp && url.scheme == "http")) std::abort();
        if (!rules.allowPrivateNetworks) {
            std::string host = url.host;
            if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
            const bool literal = host.find(':') != std::string::npos ||
                                 host.find_first_not_of("0123456789.") == std::string::npos;
            if (literal && isForbiddenAddress(host)) std::abort();
        }
    }
    return 0;
}
