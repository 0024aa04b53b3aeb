// Which IP addresses deliveries may reach (SPEC §11). Pure functions, no I/O.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace smbhub::destinations {

// True when `ip` (IPv4 or IPv6 text) is loopback, private (RFC 1918, 100.64/10 CGNAT),
// link-local, unique-local, multicast, unspecified, broadcast, documentation/benchmark ranges,
// IPv4-translated (::ffff:0:a.b.c.d), the IETF protocol block 2001::/23 (Teredo among it),
// SRv6 SIDs, an IPv4-mapped/compatible/NAT64/6to4 form of any forbidden IPv4 address, or a
// cloud metadata address (169.254.169.254, fd00:ec2::254) — everything the IANA special-purpose
// registries mark as not globally reachable. Unparseable text is treated as forbidden.
bool isForbiddenAddress(std::string_view ip);

}  // namespace smbhub::destinations
