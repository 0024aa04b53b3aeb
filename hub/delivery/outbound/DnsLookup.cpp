#include "delivery/outbound/DnsLookup.h"

#include <netdb.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "delivery/outbound/Destination.h"

namespace smbhub::delivery::outbound {
namespace {

using tcp = boost::asio::ip::tcp;

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<tcp::endpoint> endpointFrom(const addrinfo& info, std::uint16_t port) {
    tcp::endpoint endpoint;
    if (info.ai_addrlen > endpoint.capacity()) return std::nullopt;
    std::memcpy(endpoint.data(), info.ai_addr, info.ai_addrlen);
    endpoint.resize(info.ai_addrlen);
    endpoint.port(port);
    return endpoint;
}

}  // namespace

Lookup lookupHost(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    Lookup result;
    if (rc == EAI_NONAME || rc == EAI_NODATA) {
        result.error = "could not resolve host " + host;
    } else if (rc != 0) {
        result.error = "DNS lookup for " + host + " failed: " + ::gai_strerror(rc);
    }
    if (rc != 0) return result;
    for (const addrinfo* info = list; info != nullptr; info = info->ai_next) {
        if (info->ai_family != AF_INET && info->ai_family != AF_INET6) continue;
        const auto endpoint = endpointFrom(*info, port);
        if (endpoint && std::find(result.endpoints.begin(), result.endpoints.end(), *endpoint) ==
                            result.endpoints.end()) {
            result.endpoints.push_back(*endpoint);
        }
    }
    ::freeaddrinfo(list);
    if (result.endpoints.empty()) result.error = "could not resolve host " + host;
    return result;
}

tcp::endpoint parseOverride(const std::string& host, const std::string& value) {
    const auto colon = value.rfind(':');
    const auto fail = [&]() -> std::invalid_argument {
        return std::invalid_argument("delivery.resolve: \"" + value + "\" for host " + host +
                                     " is not ip:port");
    };
    if (colon == std::string::npos) throw fail();
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(stripBrackets(value.substr(0, colon)), ec);
    const std::string portText = value.substr(colon + 1);
    if (ec || portText.empty() || portText.size() > 5 ||
        !std::all_of(portText.begin(), portText.end(), isAsciiDigit)) {
        throw fail();
    }
    const int port = std::stoi(portText);
    if (port < 1 || port > 65535) throw fail();
    return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

}  // namespace smbhub::delivery::outbound
