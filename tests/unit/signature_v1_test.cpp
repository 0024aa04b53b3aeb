#include <gtest/gtest.h>

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

}  // namespace
}  // namespace smbhub::crypto
