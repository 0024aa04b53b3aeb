// Which IP addresses deliveries may reach (SPEC §11). Pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>

namespace smbhub::delivery {

// True when `ip` (IPv4 or IPv6 text) is loopback, private (RFC 1918, 100.64/10 CGNAT),
// link-local, unique-local, multicast, unspecified, broadcast, documentation/benchmark ranges,
// an IPv4-mapped/compatible form of any of those, or a cloud metadata address
// (169.254.169.254, fd00:ec2::254). Unparseable text is treated as forbidden.
bool isForbiddenAddress(std::string_view ip);

}  // namespace smbhub::delivery
