#include "common/url_match.h"

#include <algorithm>

namespace smbhub::providers {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::vector<std::string_view> pathSegments(std::string_view path) {
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    return split(path, '/');
}

std::vector<std::string_view> hostLabels(std::string_view host) { return split(host, '.'); }

bool isDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), isAsciiDigit);
}

bool isAlphanumeric(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return isAsciiDigit(c) || isAsciiLetter(c); });
}

bool usesStandardPort(const sdk::TargetUrl& url) { return url.port == 443; }

}  // namespace smbhub::providers
