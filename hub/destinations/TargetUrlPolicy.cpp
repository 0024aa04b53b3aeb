#include "destinations/TargetUrlPolicy.h"

#include <arpa/inet.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>

#include "destinations/AddressPolicy.h"

namespace smbhub::destinations {
namespace {

constexpr std::size_t kMaxUrlLength = 2048;

// Names that resolve to this machine or the local network by convention rather than by public
// DNS, so a check of the DNS answer alone would come too late or not at all.
constexpr std::array<std::string_view, 5> kLocalNames{
    "localhost", "ip6-localhost", "ip6-loopback", "instance-data", "metadata"};
constexpr std::array<std::string_view, 10> kLocalSuffixes{
    ".localhost", ".local", ".internal", ".localdomain", ".home.arpa",
    ".lan",       ".home",  ".corp",     ".intranet",    ".private"};

TargetUrlCheck refuse(std::string sentence) {
    TargetUrlCheck check;
    check.error = std::move(sentence);
    return check;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool isDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
}

// WHATWG URL parsers (and getaddrinfo) read a host whose last label is a number, like "127.1"
// or "0x7f.0.0.1", as an IPv4 address; only the plain dotted-quad form is accepted so the
// address check below sees what the resolver will see.
bool looksNumeric(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    const auto dot = host.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    const bool hex = last.size() > 1 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X');
    return isDigits(last) || hex;
}

bool isDottedQuad(const std::string& host) {
    unsigned char bytes[4];
    if (::inet_pton(AF_INET, host.c_str(), bytes) != 1) return false;
    char canonical[INET_ADDRSTRLEN];
    return ::inet_ntop(AF_INET, bytes, canonical, sizeof canonical) != nullptr &&
           host == canonical;
}

bool isValidLabel(std::string_view label) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// A DNS name in its ASCII (punycode) form; one trailing dot is allowed.
bool isValidHostName(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (host.empty() || host.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const auto dot = host.find('.', start);
        if (!isValidLabel(host.substr(start, dot - start))) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

bool isLocalName(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (host.find('.') == std::string_view::npos) return true;  // resolved via search domains
    for (const auto name : kLocalNames) {
        if (host == name) return true;
    }
    for (const auto suffix : kLocalSuffixes) {
        if (endsWith(host, suffix)) return true;
    }
    return false;
}

// The URL split as written, so path and query keep their exact percent-encoding (Poco's
// getPath() decodes, which would turn "%2F" into a real path separator).
struct RawParts {
    std::string_view authority;
    std::string_view path;
    std::string_view query;
};

RawParts splitRaw(std::string_view raw) {
    RawParts parts;
    const auto authorityStart = raw.find("://") + 3;
    const auto authorityEnd = std::min(raw.find_first_of("/?", authorityStart), raw.size());
    parts.authority = raw.substr(authorityStart, authorityEnd - authorityStart);
    const std::string_view rest = raw.substr(authorityEnd);
    const auto question = rest.find('?');
    parts.path = rest.substr(0, question);
    if (question != std::string_view::npos) parts.query = rest.substr(question + 1);
    return parts;
}

// Bytes outside printable ASCII in a path or query are sent percent-encoded, as browsers do.
std::string encodeNonAscii(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

std::string checkCharacters(std::string_view raw) {
    if (raw.empty()) return "targetUrl is required.";
    if (raw.size() > kMaxUrlLength) return "targetUrl is longer than 2048 characters.";
    for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) {
            return "targetUrl must not contain spaces or control characters.";
        }
        if (c == '\\') return "targetUrl must not contain a backslash.";
    }
    if (raw.find('#') != std::string_view::npos) {
        return "targetUrl must not contain a fragment (#).";
    }
    return {};
}

std::string checkScheme(const Poco::URI& uri, std::string_view raw, const TargetUrlRules& rules) {
    const auto separator = raw.find("://");
    if (uri.getScheme().empty() || separator == std::string_view::npos ||
        separator != uri.getScheme().size()) {
        return "targetUrl must be an absolute URL such as https://example.com/hook.";
    }
    if (uri.getScheme() == "https") return {};
    if (uri.getScheme() == "http") {
        return rules.allowHttp ? std::string{} : "targetUrl must use https.";
    }
    return "targetUrl must use https (not " + uri.getScheme() + ").";
}

// Port text exactly as written (Poco also accepts forms such as ":+80"). Empty means default.
std::string checkPort(std::string_view authority, bool bracketed, int& port, bool https) {
    port = https ? 443 : 80;
    const auto close = authority.find(']');
    if (bracketed && close == std::string_view::npos) return "targetUrl has an invalid host.";
    const auto hostEnd = bracketed ? close + 1 : authority.find(':');
    if (hostEnd == std::string_view::npos || hostEnd >= authority.size()) return {};
    if (authority[hostEnd] != ':') return "targetUrl has an invalid host.";
    const std::string_view text = authority.substr(hostEnd + 1);
    if (text.empty()) return {};
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!isDigits(text) || ec != std::errc() || end != text.data() + text.size() || value < 1 ||
        value > 65535) {
        return "targetUrl has an invalid port.";
    }
    port = value;
    return {};
}

std::string checkIpv6Literal(const std::string& host) {
    unsigned char bytes[16];
    if (::inet_pton(AF_INET6, host.c_str(), bytes) != 1) {
        return "targetUrl has an invalid IPv6 address.";
    }
    return {};
}

std::string checkHostSyntax(const std::string& host, bool bracketed) {
    if (host.empty()) return "targetUrl must have a host name.";
    if (bracketed) return checkIpv6Literal(host);
    for (const char c : host) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return "targetUrl host must be written in its ASCII (xn--) form.";
        }
    }
    if (looksNumeric(host)) {
        return isDottedQuad(host) ? std::string{} : "targetUrl has an invalid IPv4 address.";
    }
    return isValidHostName(host) ? std::string{} : "targetUrl has an invalid host name.";
}

std::string checkDestination(const std::string& host, bool bracketed) {
    const bool literal = bracketed || isDottedQuad(host);
    if (literal) {
        if (isForbiddenAddress(host)) {
            return "targetUrl must not point to a private, loopback or reserved address (" +
                   host + ").";
        }
        return {};
    }
    if (isLocalName(host)) {
        return "targetUrl must use a public host name, not a local one (" + host + ").";
    }
    return {};
}

TargetUrlCheck buildAccepted(const std::string& raw, const Poco::URI& uri, bool bracketed,
                             const RawParts& parts, int port) {
    sdk::TargetUrl url;
    url.raw = raw;
    url.scheme = uri.getScheme();
    url.host = bracketed ? "[" + uri.getHost() + "]" : uri.getHost();
    url.port = port;
    url.path = parts.path.empty() ? std::string("/") : encodeNonAscii(parts.path);
    url.query = encodeNonAscii(parts.query);
    TargetUrlCheck check;
    check.url = std::move(url);
    return check;
}

}  // namespace

TargetUrlCheck checkTargetUrl(const std::string& raw, const TargetUrlRules& rules) {
    if (auto error = checkCharacters(raw); !error.empty()) return refuse(std::move(error));
    Poco::URI uri;
    try {
        uri = Poco::URI(raw);  // lower-cases scheme and host
    } catch (const Poco::Exception&) {
        return refuse("targetUrl is not a valid URL.");
    }
    if (auto error = checkScheme(uri, raw, rules); !error.empty()) return refuse(std::move(error));
    const RawParts parts = splitRaw(raw);
    // Poco drops an empty user-info ("https://@host/"), so the authority itself is checked too.
    if (!uri.getUserInfo().empty() || parts.authority.find('@') != std::string_view::npos) {
        return refuse("targetUrl must not contain a user name or password.");
    }
    const bool bracketed = !parts.authority.empty() && parts.authority.front() == '[';
    if (auto error = checkHostSyntax(uri.getHost(), bracketed); !error.empty()) {
        return refuse(std::move(error));
    }
    int port = 0;
    if (auto error = checkPort(parts.authority, bracketed, port, uri.getScheme() == "https");
        !error.empty()) {
        return refuse(std::move(error));
    }
    if (!rules.allowPrivateNetworks) {
        if (auto error = checkDestination(uri.getHost(), bracketed); !error.empty()) {
            return refuse(std::move(error));
        }
    }
    return buildAccepted(raw, uri, bracketed, parts, port);
}

}  // namespace smbhub::destinations
