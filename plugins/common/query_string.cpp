#include "common/query_string.h"

namespace smbhub::providers {
namespace {

bool isUnreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (isUnreserved(byte)) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

std::string queryString(const std::vector<QueryParam>& params) {
    std::string out;
    for (const auto& param : params) {
        if (!out.empty()) out += '&';
        out += percentEncode(param.name);
        out += '=';
        out += percentEncode(param.value);
    }
    return out;
}

}  // namespace smbhub::providers
