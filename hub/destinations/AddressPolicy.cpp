#include "destinations/AddressPolicy.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

namespace smbhub::destinations {
namespace {

using V4 = std::array<std::uint8_t, 4>;
using V6 = std::array<std::uint8_t, 16>;

template <std::size_t N>
struct Range {
    std::array<std::uint8_t, N> prefix;
    unsigned bits;
};

template <std::size_t N>
bool inRange(const std::array<std::uint8_t, N>& address, const Range<N>& range) {
    const unsigned fullBytes = range.bits / 8;
    if (std::memcmp(address.data(), range.prefix.data(), fullBytes) != 0) return false;
    const unsigned restBits = range.bits % 8;
    if (restBits == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - restBits));
    return (address[fullBytes] & mask) == (range.prefix[fullBytes] & mask);
}

template <std::size_t N, std::size_t M>
bool inAny(const std::array<std::uint8_t, N>& address, const std::array<Range<N>, M>& ranges) {
    for (const auto& range : ranges) {
        if (inRange(address, range)) return true;
    }
    return false;
}

// Everything that is not an ordinary public unicast destination (IANA special-purpose
// registry). 169.254.0.0/16 covers the cloud metadata address 169.254.169.254 and 100.64/10
// covers Alibaba's 100.100.100.200.
constexpr std::array<Range<4>, 15> kForbiddenV4{{
    {{0, 0, 0, 0}, 8},          // "this network", unspecified
    {{10, 0, 0, 0}, 8},         // private
    {{100, 64, 0, 0}, 10},      // carrier-grade NAT
    {{127, 0, 0, 0}, 8},        // loopback
    {{169, 254, 0, 0}, 16},     // link-local, cloud metadata
    {{172, 16, 0, 0}, 12},      // private
    {{192, 0, 0, 0}, 24},       // IETF protocol assignments
    {{192, 0, 2, 0}, 24},       // documentation TEST-NET-1
    {{192, 88, 99, 0}, 24},     // deprecated 6to4 relay anycast
    {{192, 168, 0, 0}, 16},     // private
    {{198, 18, 0, 0}, 15},      // benchmarking
    {{198, 51, 100, 0}, 24},    // documentation TEST-NET-2
    {{203, 0, 113, 0}, 24},     // documentation TEST-NET-3
    {{224, 0, 0, 0}, 4},        // multicast
    {{240, 0, 0, 0}, 4},        // reserved, including broadcast 255.255.255.255
}};

// IPv6: the IANA IPv6 special-purpose registry's entries that are not globally reachable, and
// the whole 2001::/23 block of IETF protocol assignments (Teredo 2001::/32 carries an
// obfuscated IPv4 address; no webhook lives in that block).
constexpr std::array<Range<16>, 13> kForbiddenV6{{
    {{}, 128},                                                     // :: unspecified
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},       // ::1 loopback
    {{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}, 96},              // ::ffff:0:0:0/96 IPv4-translated
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48},                    // 64:ff9b:1::/48 local NAT64
    {{0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64},                          // 100::/64 discard-only
    {{0x20, 0x01, 0x00, 0x00}, 23},                                // 2001::/23 IETF protocol
                                                                   // assignments (Teredo, benchmarking, ORCHID)
    {{0x20, 0x01, 0x0d, 0xb8}, 32},                                // 2001:db8::/32 documentation
    {{0x5f, 0x00}, 16},                                            // 5f00::/16 SRv6 SIDs
    {{0x3f, 0xff}, 20},                                            // 3fff::/20 documentation
    {{0xfc}, 7},                                                   // unique-local (fd00:ec2::254)
    {{0xfe, 0x80}, 10},                                            // link-local
    {{0xfe, 0xc0}, 10},                                            // deprecated site-local
    {{0xff}, 8},                                                   // multicast
}};

bool isForbiddenV4(const V4& address) { return inAny(address, kForbiddenV4); }

V4 v4At(const V6& address, std::size_t offset) {
    return V4{address[offset], address[offset + 1], address[offset + 2], address[offset + 3]};
}

// IPv6 forms that carry an IPv4 address a packet may end up at: mapped (::ffff:a.b.c.d),
// compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
std::optional<V4> embeddedV4(const V6& address) {
    constexpr Range<16> mapped{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96};
    constexpr Range<16> compatible{{}, 96};
    constexpr Range<16> nat64{{0x00, 0x64, 0xff, 0x9b}, 96};
    constexpr Range<16> sixToFour{{0x20, 0x02}, 16};
    if (inRange(address, mapped) || inRange(address, compatible) || inRange(address, nat64)) {
        return v4At(address, 12);
    }
    if (inRange(address, sixToFour)) return v4At(address, 2);
    return std::nullopt;
}

bool isForbiddenV6(const V6& address) {
    if (inAny(address, kForbiddenV6)) return true;
    const auto v4 = embeddedV4(address);
    return v4 && isForbiddenV4(*v4);
}

}  // namespace

bool isForbiddenAddress(std::string_view ip) {
    // inet_pton needs a terminated string; addresses are short, so a local copy is cheap.
    if (ip.empty() || ip.size() > INET6_ADDRSTRLEN) return true;
    const std::string text(ip);
    V4 v4{};
    if (::inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return isForbiddenV4(v4);
    V6 v6{};
    if (::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return isForbiddenV6(v6);
    return true;
}

}  // namespace smbhub::destinations
