// The hub's YAML configuration as a test writes it: dotted keys mapped to raw YAML values.
//
//   config.set("delivery.timeout_ms", "500");
//   config.set("delivery.retry_schedule", R"(["200ms", "400ms"])");
//   config.set("auth.admin_token", HubConfigYaml::quoted(token));
//
// Values are written as given (a number, true/false, a "quoted" string, a [flow] list or a
// {flow} map), so any option the hub has can be set or added without this class knowing it.
// render() nests the dotted keys into YAML mappings, keeping the order they were first set in.
// A value type; not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace smbhub::test {

class HubConfigYaml {
public:
    // Sets or replaces one key.
    HubConfigYaml& set(const std::string& dottedKey, const std::string& yamlValue);
    // Removes one key (and everything under it); no-op when absent.
    HubConfigYaml& erase(const std::string& dottedKey);
    bool has(const std::string& dottedKey) const;
    std::string render() const;

    // A YAML double-quoted scalar holding `text` (exactly, when it is valid UTF-8).
    static std::string quoted(const std::string& text);

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace smbhub::test
