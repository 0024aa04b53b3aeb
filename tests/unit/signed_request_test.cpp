// The request the hub sends for one rendered body (SPEC §8, §15): both signature schemes over the
// exact body at the same t, with vectors computed by openssl (see standard_webhooks_test.cpp),
// and a plugin unable to set or hide any signature header.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "delivery/SignedRequest.h"

namespace smbhub::delivery {
namespace {

const std::string kBody = R"({"id":"evt_1","type":"lead.created"})";
const std::string kSecret = "whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=";
const std::string kSmbV1 = "4900898b60e7d290b40c6398e2cf6a6404bbd8dd19cfbf37a26aaffd54c4f8ea";
const std::string kWebhookV1 = "v1,4g+muzNkQcs8raNb1et6F7ezKANqRUqUp2s5JGWJiOU=";

sdk::TargetUrl target() {
    sdk::TargetUrl url;
    url.raw = "https://hooks.example.com/smb?x=1";
    url.scheme = "https";
    url.host = "hooks.example.com";
    url.path = "/smb";
    url.query = "x=1";
    return url;
}

const DeliveryHeaders kHeaders{"lead.created", "evt_1", "dlv_abc", 3};

std::vector<std::string> valuesOf(const HttpRequest& request, const std::string& lowerName) {
    std::vector<std::string> values;
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == lowerName) values.push_back(value);
    }
    return values;
}

std::vector<std::string> one(const std::string& value) { return {value}; }

TEST(SignedRequest, CarriesBothSignaturesAtTheSameTimestamp) {
    sdk::OutboundRequest rendered;
    rendered.body = kBody;
    const HttpRequest request =
        signedRequest(target(), rendered, kHeaders, kSecret, 1700000000, std::chrono::seconds(10));
    EXPECT_EQ(request.body, kBody);
    EXPECT_EQ(request.target, "/smb?x=1");
    EXPECT_EQ(valuesOf(request, "x-smb-signature"), one("t=1700000000,v1=" + kSmbV1));
    EXPECT_EQ(valuesOf(request, "x-smb-delivery"), one("dlv_abc"));
    EXPECT_EQ(valuesOf(request, "x-smb-attempt"), one("3"));
    EXPECT_EQ(valuesOf(request, "webhook-id"), one("dlv_abc"));
    EXPECT_EQ(valuesOf(request, "webhook-timestamp"), one("1700000000"));
    EXPECT_EQ(valuesOf(request, "webhook-signature"), one(kWebhookV1));
}

TEST(SignedRequest, SeveralSecretsSignInBothHeadersNewestFirst) {
    sdk::OutboundRequest rendered;
    rendered.body = kBody;
    const std::vector<std::string> secrets = {kSecret, "whsec_abcde"};
    const HttpRequest request =
        signedRequest(target(), rendered, kHeaders, secrets, 1700000000, std::chrono::seconds(10));
    EXPECT_EQ(valuesOf(request, "x-smb-signature"),
              one("t=1700000000,v1=" + kSmbV1 +
                  ",v1=28e42a05f9b5f61ea45d195c4c094a9dc3712c1564dcb8214a3730ddbfcdcf73"));
    EXPECT_EQ(valuesOf(request, "webhook-signature"),
              one(kWebhookV1 + " v1,mc9WTvjLOAnDRYXcZM91wAlD4dA+D8XNhlZPSoqda4I="));
}

TEST(SignedRequest, PluginCannotSetOrHideSignatureHeaders) {
    sdk::OutboundRequest rendered;
    rendered.body = kBody;
    for (const char* name : {"webhook-id", "Webhook-Timestamp", "WEBHOOK-SIGNATURE", "svix-id",
                             "svix-timestamp", "Svix-Signature", "X-SMB-Signature"}) {
        rendered.headers.push_back({name, "forged"});
    }
    rendered.headers.push_back({"x-clay-webhook-auth", "token"});
    const HttpRequest request =
        signedRequest(target(), rendered, kHeaders, kSecret, 1700000000, std::chrono::seconds(10));
    EXPECT_EQ(valuesOf(request, "webhook-id"), std::vector<std::string>{"dlv_abc"});
    EXPECT_EQ(valuesOf(request, "webhook-timestamp"), std::vector<std::string>{"1700000000"});
    EXPECT_EQ(valuesOf(request, "webhook-signature"), std::vector<std::string>{kWebhookV1});
    EXPECT_TRUE(valuesOf(request, "svix-id").empty());
    EXPECT_TRUE(valuesOf(request, "svix-timestamp").empty());
    EXPECT_TRUE(valuesOf(request, "svix-signature").empty());
    EXPECT_EQ(valuesOf(request, "x-smb-signature").size(), 1u);
    EXPECT_EQ(valuesOf(request, "x-clay-webhook-auth"), std::vector<std::string>{"token"});
}

}  // namespace
}  // namespace smbhub::delivery
