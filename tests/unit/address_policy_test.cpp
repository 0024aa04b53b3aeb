#include "destinations/AddressPolicy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smbhub::destinations {
namespace {

void expectAll(const std::vector<std::string>& addresses, bool forbidden) {
    for (const auto& address : addresses) {
        EXPECT_EQ(isForbiddenAddress(address), forbidden) << address;
    }
}

TEST(AddressPolicy, PublicAddressesAreAllowed) {
    expectAll({"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1",
               "100.63.255.255", "100.128.0.0", "192.169.0.1", "11.0.0.1", "223.255.255.255",
               "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e"},
              false);
}

TEST(AddressPolicy, LoopbackAndUnspecifiedAreForbidden) {
    expectAll({"127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "::1", "::"}, true);
}

TEST(AddressPolicy, PrivateAndSharedRangesAreForbidden) {
    expectAll({"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1",
               "100.64.0.1", "100.127.255.255", "100.100.100.200"},
              true);
}

TEST(AddressPolicy, LinkLocalUniqueLocalAndMetadataAreForbidden) {
    expectAll({"169.254.0.1", "169.254.169.254", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1",
               "fd00:ec2::254", "fec0::1"},
              true);
}

TEST(AddressPolicy, MulticastBroadcastAndReservedAreForbidden) {
    expectAll({"224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "ff02::1",
               "ff05::1:3"},
              true);
}

TEST(AddressPolicy, DocumentationAndBenchmarkRangesAreForbidden) {
    expectAll({"192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "198.19.255.255",
               "192.0.0.8", "2001:db8::1", "2001:2::1", "3fff::1", "100::1"},
              true);
}

TEST(AddressPolicy, EmbeddedIpv4FormsFollowTheIpv4Rules) {
    expectAll({"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::127.0.0.1",
               "64:ff9b::a00:1", "2002:7f00:1::", "2002:c0a8:101::1", "64:ff9b:1::1"},
              true);
    expectAll({"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}, false);
}

TEST(AddressPolicy, IetfSpecialPurposeIpv6BlocksAreForbidden) {
    expectAll({"::ffff:0:127.0.0.1", "::ffff:0:8.8.8.8",            // IPv4-translated
               "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1",    // Teredo
               "2001:2::1", "2001:20::1", "2001:1ff:ffff::1",         // rest of 2001::/23
               "5f00::1", "100::1"},
              true);
    expectAll({"2001:200::1", "2001:4860::1"}, false);  // just past 2001::/23: ordinary
}

TEST(AddressPolicy, UnparseableTextIsForbidden) {
    expectAll({"", "localhost", "example.com", "127.1", "0x7f.0.0.1", "2130706433", "1.2.3.4.5",
               "256.1.1.1", "fe80::1%eth0", "[::1]", " 8.8.8.8", "8.8.8.8 "},
              true);
}

}  // namespace
}  // namespace smbhub::destinations
