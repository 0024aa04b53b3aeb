#include "config/EnvExpansion.h"

#include <cstdlib>
#include <stdexcept>

namespace smbhub::config {

std::string expandEnv(const std::string& text, const EnvLookup& lookup) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = text.find("${", pos);
        if (start == std::string::npos) {
            out.append(text, pos, std::string::npos);
            break;
        }
        out.append(text, pos, start - pos);
        const std::size_t close = text.find('}', start + 2);
        if (close == std::string::npos) {
            throw std::invalid_argument("unterminated ${ in \"" + text + "\"");
        }
        const std::string inner = text.substr(start + 2, close - start - 2);
        const std::size_t defaultAt = inner.find(":-");
        const std::string name = inner.substr(0, defaultAt);
        if (name.empty()) throw std::invalid_argument("empty variable name in \"" + text + "\"");
        const std::optional<std::string> value = lookup(name);
        if (value && !value->empty()) {
            out += *value;
        } else if (defaultAt != std::string::npos) {
            out += inner.substr(defaultAt + 2);
        }
        pos = close + 1;
    }
    return out;
}

std::optional<std::string> processEnv(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

}  // namespace smbhub::config
