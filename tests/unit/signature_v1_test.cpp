#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/SignatureV1.h"

namespace smbhub::crypto {
namespace {

TEST(SignatureV1, MatchesKnownHmacSha256Vector) {
    // RFC-style vector, computed independently (Python's hmac module).
    EXPECT_EQ(hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"),
              "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(SignatureV1, HeaderSignsTimestampDotBody) {
    const std::string body = R"({"id":"evt_1","type":"lead.created"})";
    EXPECT_EQ(signatureV1Header("whsec_test_secret", 1700000000, body),
              "t=1700000000,v1=60ed53ba79e96e248684e99d6e2447283f8e6912cf39c6fd5022841191419b65");
}

TEST(SignatureV1, VerifiesItsOwnHeaderAndRejectsTampering) {
    const std::string header = signatureV1Header("s3cret", 1700000123, "{\"a\":1}");
    EXPECT_TRUE(verifySignatureV1("s3cret", header, "{\"a\":1}"));
    EXPECT_FALSE(verifySignatureV1("s3cret", header, "{\"a\":2}"));
    EXPECT_FALSE(verifySignatureV1("other", header, "{\"a\":1}"));
    EXPECT_FALSE(verifySignatureV1("s3cret", "t=1700000123", "{\"a\":1}"));
    EXPECT_FALSE(verifySignatureV1("s3cret", "", "{\"a\":1}"));
}

TEST(SignatureV1, NewFormatSecretIsStillTheWholeString) {
    // Standard Webhooks decodes the part after "whsec_"; X-SMB-Signature keeps the seed's rule:
    // the whole string is the key (vector from `openssl dgst -sha256 -mac HMAC -macopt key:…`).
    EXPECT_EQ(signatureV1Header("whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=", 1700000000,
                                R"({"id":"evt_1","type":"lead.created"})"),
              "t=1700000000,v1=4900898b60e7d290b40c6398e2cf6a6404bbd8dd19cfbf37a26aaffd54c4f8ea");
}

TEST(SignatureV1, SeveralSecretsGiveOneV1EachNewestFirst) {
    const std::string body = R"({"id":"evt_1","type":"lead.created"})";
    const std::vector<std::string> secrets = {"whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=",
                                              "whsec_test_secret"};
    const std::string header = signatureV1Header(secrets, 1700000000, body);
    EXPECT_EQ(header,
              "t=1700000000,v1=4900898b60e7d290b40c6398e2cf6a6404bbd8dd19cfbf37a26aaffd54c4f8ea"
              ",v1=60ed53ba79e96e248684e99d6e2447283f8e6912cf39c6fd5022841191419b65");
    EXPECT_TRUE(verifySignatureV1(secrets[0], header, body));
    EXPECT_TRUE(verifySignatureV1(secrets[1], header, body));
    EXPECT_FALSE(verifySignatureV1("whsec_other", header, body));
    EXPECT_THROW(signatureV1Header(std::vector<std::string>{}, 1700000000, body),
                 std::invalid_argument);
}

}  // namespace
}  // namespace smbhub::crypto
