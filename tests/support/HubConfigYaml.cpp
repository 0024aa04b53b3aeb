#include "support/HubConfigYaml.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "support/JsonText.h"

namespace smbhub::test {
namespace {

struct Entry {
    std::vector<std::string> path;
    std::string value;
};

std::vector<std::string> splitKey(const std::string& dottedKey) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = dottedKey.find('.', start);
        parts.push_back(dottedKey.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    for (const auto& part : parts) {
        if (part.empty()) {
            throw std::invalid_argument("HubConfigYaml: bad key \"" + dottedKey + "\"");
        }
    }
    return parts;
}

bool isUnder(const std::string& key, const std::string& prefix) {
    return key == prefix || (key.size() > prefix.size() && key[prefix.size()] == '.' &&
                             key.compare(0, prefix.size(), prefix) == 0);
}

void renderLevel(const std::vector<Entry>& entries, std::size_t depth, std::ostringstream& out) {
    std::vector<std::string> order;
    for (const auto& entry : entries) {
        if (std::find(order.begin(), order.end(), entry.path[depth]) == order.end()) {
            order.push_back(entry.path[depth]);
        }
    }
    const std::string indent(depth * 2, ' ');
    for (const auto& name : order) {
        std::vector<Entry> children;
        const Entry* leaf = nullptr;
        for (const auto& entry : entries) {
            if (entry.path[depth] != name) continue;
            if (entry.path.size() == depth + 1) leaf = &entry;
            else children.push_back(entry);
        }
        if (leaf && !children.empty()) {
            throw std::invalid_argument("HubConfigYaml: \"" + name +
                                        "\" is set both as a value and as a mapping");
        }
        if (leaf) {
            out << indent << name << ": " << leaf->value << "\n";
        } else {
            out << indent << name << ":\n";
            renderLevel(children, depth + 1, out);
        }
    }
}

}  // namespace

HubConfigYaml& HubConfigYaml::set(const std::string& dottedKey, const std::string& yamlValue) {
    splitKey(dottedKey);  // validates
    for (auto& entry : entries_) {
        if (entry.first == dottedKey) {
            entry.second = yamlValue;
            return *this;
        }
    }
    entries_.emplace_back(dottedKey, yamlValue);
    return *this;
}

HubConfigYaml& HubConfigYaml::erase(const std::string& dottedKey) {
    std::erase_if(entries_, [&](const auto& entry) { return isUnder(entry.first, dottedKey); });
    return *this;
}

bool HubConfigYaml::has(const std::string& dottedKey) const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const auto& entry) { return entry.first == dottedKey; });
}

std::string HubConfigYaml::render() const {
    std::vector<Entry> entries;
    for (const auto& [key, value] : entries_) entries.push_back({splitKey(key), value});
    std::ostringstream out;
    renderLevel(entries, 0, out);
    return out.str();
}

std::string HubConfigYaml::quoted(const std::string& text) {
    // A JSON string literal is a YAML double-quoted scalar (YAML 1.2 reads JSON).
    return jsonQuote(text);
}

}  // namespace smbhub::test
