#include "delivery/outbound/RequestMessage.h"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cstring>
#include <utility>

namespace smbhub::delivery::outbound {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isTokenChar(char c) {
    return isAsciiAlnum(c) || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool isValidHeaderName(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), isTokenChar);
}

bool isValidHeaderValue(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        return c == '\r' || c == '\n' || c == '\0';
    });
}

bool isValidTarget(const std::string& target) {
    return !target.empty() && target.front() == '/' &&
           std::none_of(target.begin(), target.end(), [](char c) {
               const auto byte = static_cast<unsigned char>(c);
               return byte <= 0x20 || byte == 0x7F;
           });
}

// Framing headers are the sender's own; a caller's copy would contradict the real framing.
bool isFramingHeader(const std::string& name) {
    return beast::iequals(name, "host") || beast::iequals(name, "content-length") ||
           beast::iequals(name, "transfer-encoding") || beast::iequals(name, "connection");
}

}  // namespace

std::string buildRequest(HttpRequest& input, const Destination& destination, RequestMessage& out) {
    std::string target = input.target.empty() ? std::string("/") : std::move(input.target);
    if (!isValidTarget(target)) return "the target URL has an invalid path";
    out.method(http::verb::post);
    out.target(target);
    out.version(11);
    out.set(http::field::host, destination.hostHeader);
    for (const auto& [name, value] : input.headers) {
        if (!isValidHeaderName(name) || !isValidHeaderValue(value)) {
            return "invalid request header \"" + name + "\"";
        }
        if (!isFramingHeader(name)) out.insert(name, value);
    }
    out.body() = std::move(input.body);
    out.content_length(out.body().size());
    return {};
}

}  // namespace smbhub::delivery::outbound
