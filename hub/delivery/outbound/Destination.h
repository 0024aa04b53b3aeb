// Where one request goes, as the sender uses it: TLS or not, the host in the form DNS, SNI and the
// certificate check need (lower case, no brackets), the port, the Host header as written, and the
// key under which kept-alive connections are shared; with the host spellings every piece of the
// sender agrees on.
//
// Thread-safety: Destination is a value; the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "delivery/HttpSender.h"

namespace smbhub::delivery::outbound {

struct Destination {
    bool tls = true;
    std::string host;        // lower case, no brackets: DNS, SNI and certificate name
    std::uint16_t port = 0;
    std::string hostHeader;  // as the Host header writes it: "[::1]:8443", "example.com"
    std::string poolKey;     // connections are only shared between identical destinations
};

// Fills `out` from the request's scheme, host and port; an error sentence for the delivery log
// when they cannot be used (plain http without allowHttp, no or invalid host, port 0), else "".
std::string makeDestination(const HttpRequest& request, bool allowHttp, Destination& out);

// ASCII lower case (host names, schemes); other bytes are kept as they are.
std::string lowerCase(std::string_view text);

// "[::1]" -> "::1"; anything not in brackets as it is.
std::string stripBrackets(std::string_view host);

// An IPv4 or IPv6 address written out (no brackets), as opposed to a name.
bool isIpLiteral(const std::string& host);

}  // namespace smbhub::delivery::outbound
