#include "delivery/outbound/Destination.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace smbhub::delivery::outbound {
namespace {

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Names, IPv4 and IPv6 literals (and IPv6 zone ids); anything else could corrupt the Host header.
bool isValidHost(const std::string& host) {
    return std::all_of(host.begin(), host.end(), [](char c) {
        return isAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '%';
    });
}

}  // namespace

std::string lowerCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string stripBrackets(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return std::string(host);
}

bool isIpLiteral(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

std::string makeDestination(const HttpRequest& request, bool allowHttp, Destination& out) {
    const std::string scheme = lowerCase(request.scheme);
    if (scheme == "http") {
        if (!allowHttp) return "plain http is not allowed; the target URL must use https";
        out.tls = false;
    } else if (scheme != "https") {
        return "unsupported URL scheme \"" + request.scheme + "\"";
    }
    out.host = lowerCase(stripBrackets(request.host));
    if (out.host.empty()) return "the target URL has no host";
    if (!isValidHost(out.host)) return "the target URL has an invalid host";
    if (request.port == 0) return "the target URL has an invalid port";
    out.port = request.port;
    const bool ipv6 = out.host.find(':') != std::string::npos;
    // Appended, not `"[" + host + "]"`: GCC 12 at -O3 reports a false -Wrestrict for that.
    out.hostHeader = ipv6 ? std::string("[").append(out.host).append("]") : out.host;
    if (out.port != (out.tls ? 443 : 80)) out.hostHeader.append(":").append(std::to_string(out.port));
    out.poolKey = scheme + "://" + out.hostHeader;
    return {};
}

}  // namespace smbhub::delivery::outbound
