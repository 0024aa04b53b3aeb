#include "server/Request.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <strings.h>

#include "server/Response.h"

namespace smbhub::server {
namespace {

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

}  // namespace

std::string Request::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (sameName(h.name, name)) return h.value;
    }
    return "";
}

bool Request::hasHeader(std::string_view name) const {
    for (const Header& h : headers) {
        if (sameName(h.name, name)) return true;
    }
    return false;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    // Cookie: a=1; b=2 — possibly in several Cookie headers (HTTP/2 proxies split them).
    for (const Header& h : headers) {
        if (!sameName(h.name, "cookie")) continue;
        std::string_view rest = h.value;
        while (!rest.empty()) {
            const auto semicolon = rest.find(';');
            const std::string_view pair = trim(rest.substr(0, semicolon));
            rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            if (trim(pair.substr(0, eq)) == name) {
                std::string_view value = trim(pair.substr(eq + 1));
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                    value = value.substr(1, value.size() - 2);
                }
                return std::string(value);
            }
        }
    }
    return std::nullopt;
}

std::map<std::string, std::string> Request::queryParameters() const {
    std::map<std::string, std::string> out;
    if (query.empty()) return out;
    try {
        Poco::URI uri;
        uri.setRawQuery(query);
        for (auto& [name, value] : uri.getQueryParameters()) out[name] = std::move(value);
    } catch (const Poco::Exception&) {
        // A malformed escape: such a query has no parameters we can trust.
        out.clear();
    }
    return out;
}

void Response::set(std::string_view name, std::string value) {
    for (Header& h : headers) {
        if (sameName(h.name, name)) {
            h.value = std::move(value);
            return;
        }
    }
    headers.push_back({std::string(name), std::move(value)});
}

}  // namespace smbhub::server
