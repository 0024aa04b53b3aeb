#include "destinations/TargetUrlPolicy.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::destinations {
namespace {

const TargetUrlRules kStrict{};
const TargetUrlRules kDevelopment{true, true};

sdk::TargetUrl accepted(const std::string& raw, const TargetUrlRules& rules = kStrict) {
    const auto check = checkTargetUrl(raw, rules);
    EXPECT_TRUE(check.url.has_value()) << raw << ": " << check.error;
    EXPECT_TRUE(check.error.empty()) << raw;
    return check.url.value_or(sdk::TargetUrl{});
}

std::string refused(const std::string& raw, const TargetUrlRules& rules = kStrict) {
    const auto check = checkTargetUrl(raw, rules);
    EXPECT_FALSE(check.url.has_value()) << raw << " was accepted";
    EXPECT_FALSE(check.error.empty()) << raw;
    return check.error;
}

TEST(TargetUrlPolicy, ParsesAndNormalisesAnHttpsUrl) {
    const auto url = accepted("HTTPS://Hooks.Zapier.COM/hooks/catch/123/abc/?x=1&y=%20z");
    EXPECT_EQ(url.raw, "HTTPS://Hooks.Zapier.COM/hooks/catch/123/abc/?x=1&y=%20z");
    EXPECT_EQ(url.scheme, "https");
    EXPECT_EQ(url.host, "hooks.zapier.com");
    EXPECT_EQ(url.port, 443);
    EXPECT_EQ(url.path, "/hooks/catch/123/abc/");
    EXPECT_EQ(url.query, "x=1&y=%20z");
}

TEST(TargetUrlPolicy, PathIsAtLeastASlash) {
    EXPECT_EQ(accepted("https://example.com").path, "/");
    const auto withQuery = accepted("https://example.com?a=b");
    EXPECT_EQ(withQuery.path, "/");
    EXPECT_EQ(withQuery.query, "a=b");
}

TEST(TargetUrlPolicy, KeepsPercentEncodingOfThePath) {
    EXPECT_EQ(accepted("https://example.com/a%2Fb/c%20d").path, "/a%2Fb/c%20d");
}

TEST(TargetUrlPolicy, EncodesNonAsciiPathBytes) {
    EXPECT_EQ(accepted("https://example.com/caf\xC3\xA9").path, "/caf%C3%A9");
}

TEST(TargetUrlPolicy, ExplicitPortsAndDefaults) {
    EXPECT_EQ(accepted("https://example.com:8443/x").port, 8443);
    EXPECT_EQ(accepted("https://example.com:/x").port, 443);
    EXPECT_EQ(accepted("http://example.com/x", kDevelopment).port, 80);
    EXPECT_EQ(accepted("http://example.com:8080/x", kDevelopment).port, 8080);
}

TEST(TargetUrlPolicy, InvalidPortsAreRefused) {
    for (const auto* raw : {"https://example.com:0/", "https://example.com:65536/",
                            "https://example.com:+80/", "https://example.com:8a/",
                            "https://example.com:-1/"}) {
        refused(raw);
    }
}

TEST(TargetUrlPolicy, RequiresAnAbsoluteHttpsUrl) {
    EXPECT_NE(refused("").find("required"), std::string::npos);
    refused("example.com/hook");
    refused("/hook");
    refused("//example.com/hook");
    refused("https:example.com");
    refused("https:///path");
    EXPECT_NE(refused("http://example.com/").find("https"), std::string::npos);
    EXPECT_NE(refused("ftp://example.com/").find("https"), std::string::npos);
    refused("javascript://example.com/");
}

TEST(TargetUrlPolicy, HttpOnlyWhenAllowed) {
    TargetUrlRules rules;
    rules.allowHttp = true;
    EXPECT_EQ(accepted("http://example.com/", rules).scheme, "http");
}

TEST(TargetUrlPolicy, RefusesUserInfoFragmentsAndOddCharacters) {
    EXPECT_NE(refused("https://user:pass@example.com/").find("user name"), std::string::npos);
    refused("https://@example.com/");
    EXPECT_NE(refused("https://example.com/#frag").find("fragment"), std::string::npos);
    refused("https://example.com/#");
    refused("https://exa mple.com/");
    refused("https://example.com/a b");
    refused(" https://example.com/");
    refused("https://example.com/\r\nX: y");
    refused("https://example.com\\@evil.com/");
    refused("https://" + std::string(2100, 'a') + ".com/");
}

TEST(TargetUrlPolicy, RefusesInvalidHostNames) {
    refused("https://ex%41mple.com/");
    refused("https://-example.com/");
    refused("https://exa..mple.com/");
    refused("https://caf\xC3\xA9.com/");
    refused("https://" + std::string(64, 'a') + ".com/");
    EXPECT_EQ(accepted("https://xn--caf-dma.com/").host, "xn--caf-dma.com");
    EXPECT_EQ(accepted("https://my_host.example.com./").host, "my_host.example.com.");
}

TEST(TargetUrlPolicy, Ipv6LiteralsKeepTheirBrackets) {
    const auto url = accepted("https://[2606:4700:4700::1111]:8443/x");
    EXPECT_EQ(url.host, "[2606:4700:4700::1111]");
    EXPECT_EQ(accepted("https://[2606:4700:4700::AAAA]/").host, "[2606:4700:4700::aaaa]");
    EXPECT_EQ(url.port, 8443);
    EXPECT_EQ(url.path, "/x");
    refused("https://[fe80::1%25eth0]/");
    refused("https://[not-an-address]/");
}

TEST(TargetUrlPolicy, PrivateAndLoopbackLiteralsAreRefused) {
    for (const auto* raw :
         {"https://127.0.0.1/", "https://10.0.0.5/", "https://192.168.1.1:8443/",
          "https://169.254.169.254/latest/meta-data/", "https://[::1]/", "https://[fd00:ec2::254]/",
          "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/", "https://100.64.0.1/"}) {
        EXPECT_NE(refused(raw).find("private"), std::string::npos) << raw;
    }
    EXPECT_EQ(accepted("https://8.8.8.8/").host, "8.8.8.8");
}

TEST(TargetUrlPolicy, NumericHostsMustBeDottedQuads) {
    // Resolvers read these as 127.0.0.1; only the canonical form is checked and accepted.
    for (const auto* raw : {"https://127.1/", "https://2130706433/", "https://0x7f.0.0.1/",
                            "https://0177.0.0.1/", "https://127.0.0.1./", "https://8.8.8.08/"}) {
        refused(raw, kDevelopment);
    }
}

TEST(TargetUrlPolicy, LocalNamesAreRefused) {
    for (const auto* raw :
         {"https://localhost/", "https://LOCALHOST:8443/", "https://localhost./",
          "https://api.localhost/", "https://printer.local/", "https://metadata.google.internal/",
          "https://db.internal/", "https://intranet/", "https://router.home.arpa/",
          "https://nas.lan/"}) {
        EXPECT_NE(refused(raw).find("local"), std::string::npos) << raw;
    }
}

TEST(TargetUrlPolicy, DevelopmentRulesAllowLocalTargets) {
    EXPECT_EQ(accepted("https://localhost:8443/hook", kDevelopment).host, "localhost");
    EXPECT_EQ(accepted("https://127.0.0.1:8443/hook", kDevelopment).host, "127.0.0.1");
    EXPECT_EQ(accepted("http://[::1]:8080/hook", kDevelopment).host, "[::1]");
}

}  // namespace
}  // namespace smbhub::destinations
