// libFuzzer: a configuration file's text through the YAML loader. Nothing may crash; every
// refusal is a ConfigError (which names the key).
#include <cstdint>
#include <string>

#include "config/HubConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)smbhub::config::parseHubConfig(text, "fuzz.yaml");
    } catch (const smbhub::config::ConfigError&) {
    }
    return 0;
}
