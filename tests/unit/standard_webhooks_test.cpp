// The Standard Webhooks signer (SPEC §15) against fixed vectors computed outside the hub:
// `openssl dgst -sha256 -mac HMAC -macopt hexkey:<key> -binary | base64` over
// "<webhook-id>.<t>.<body>", with the keys decoded by Python's base64 module; and the example of
// the Standard Webhooks specification (the same vector Svix's libraries test against).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/Encoding.h"
#include "crypto/StandardWebhooks.h"
#include "integrations/IntegrationVault.h"

namespace smbhub::crypto {
namespace {

const std::string kBody = R"({"id":"evt_1","type":"lead.created"})";
constexpr std::int64_t kT = 1700000000;

// 32 bytes fb ef be 3e 9f 7a 01 23 … 44 55, chosen so that both encodings use their two
// alphabet-specific characters: "+/" in standard base64, "-_" in base64url.
const std::string kNewSecret = "whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=";
const std::string kLegacySecret = "whsec_----Pp96ASNFZ4mrze_-3LqYdlQyEP_-_fwAESIzRFU";
const std::string kKeyHex = "fbefbe3e9f7a0123456789abcdeffedcba9876543210fffefdfc001122334455";
const std::string kSignatureOfKey = "v1,4g+muzNkQcs8raNb1et6F7ezKANqRUqUp2s5JGWJiOU=";

TEST(StandardWebhooks, MatchesTheSpecificationsExample) {
    // standard-webhooks/spec: secret, msg id, timestamp, payload and signature as published.
    EXPECT_EQ(standardWebhooksSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                        R"({"test": 2432232314})"),
              "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(StandardWebhooks, KeyIsTheBase64DecodedPartAfterWhsec) {
    EXPECT_EQ(core::hexEncode(standardWebhooksKey(kNewSecret)), kKeyHex);
    EXPECT_EQ(standardWebhooksSignature(kNewSecret, "dlv_abc", kT, kBody), kSignatureOfKey);
}

TEST(StandardWebhooks, LegacyBase64UrlSecretSignsWithTheSameBytes) {
    // Secrets made before issue 13: unpadded base64url of 32 random bytes.
    EXPECT_EQ(core::hexEncode(standardWebhooksKey(kLegacySecret)), kKeyHex);
    EXPECT_EQ(standardWebhooksSignature(kLegacySecret, "dlv_abc", kT, kBody), kSignatureOfKey);
    // An alphanumeric legacy secret reads the same in either alphabet, padded or not: bytes 0..31.
    const std::string alnum = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    EXPECT_EQ(core::hexEncode(standardWebhooksKey(alnum)),
              "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    EXPECT_EQ(standardWebhooksSignature(alnum, "dlv_abc", kT, kBody),
              "v1,9BINkPiqDjsd8gTuu+USFpH0ScYk4zTi2QP5uiIquEc=");
    EXPECT_EQ(standardWebhooksKey(alnum), standardWebhooksKey(alnum + "="));
}

TEST(StandardWebhooks, ShortUrlSafeSecretDecodesLikeLenientDecoders) {
    // "test_secret" is base64url for b5eb2dfec79cadeb (trailing bits ignored, as Node's and
    // Python's decoders do).
    EXPECT_EQ(core::hexEncode(standardWebhooksKey("whsec_test_secret")), "b5eb2dfec79cadeb");
    EXPECT_EQ(standardWebhooksSignature("whsec_test_secret", "dlv_abc", kT, kBody),
              "v1,6au7Uaqp9/OGfVlO09v0X3QTIrx7f1/+yl/l97oX4fc=");
}

TEST(StandardWebhooks, SecretThatIsNotBase64IsUsedRaw) {
    // 5 characters cannot be base64: the whole secret is the key, as for X-SMB-Signature.
    EXPECT_EQ(standardWebhooksKey("whsec_abcde"), "whsec_abcde");
    EXPECT_EQ(standardWebhooksSignature("whsec_abcde", "dlv_abc", kT, kBody),
              "v1,mc9WTvjLOAnDRYXcZM91wAlD4dA+D8XNhlZPSoqda4I=");
    // Neither a character outside both alphabets, nor both alphabets at once, nor bad padding.
    EXPECT_EQ(standardWebhooksKey("whsec_abc!"), "whsec_abc!");
    EXPECT_EQ(standardWebhooksKey("whsec_ab+_"), "whsec_ab+_");
    EXPECT_EQ(standardWebhooksKey("whsec_abc=="), "whsec_abc==");
    EXPECT_EQ(standardWebhooksKey("whsec_ab=c"), "whsec_ab=c");
    EXPECT_EQ(standardWebhooksKey("whsec_"), "whsec_");
}

TEST(StandardWebhooks, SecretWithoutPrefixIsDecodedWhole) {
    // The libraries decode a secret without "whsec_" as it is.
    EXPECT_EQ(core::hexEncode(standardWebhooksKey("++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=")),
              kKeyHex);
}

TEST(StandardWebhooks, HeaderCarriesOneSignaturePerSecretNewestFirst) {
    const std::vector<std::string> secrets = {kNewSecret, "whsec_abcde"};
    EXPECT_EQ(webhookSignatureHeader(secrets, "dlv_abc", kT, kBody),
              kSignatureOfKey + " v1,mc9WTvjLOAnDRYXcZM91wAlD4dA+D8XNhlZPSoqda4I=");
    EXPECT_EQ(webhookSignatureHeader(std::vector<std::string>{kLegacySecret}, "dlv_abc", kT, kBody),
              kSignatureOfKey);
    EXPECT_THROW(webhookSignatureHeader(std::vector<std::string>{}, "dlv_abc", kT, kBody),
                 std::invalid_argument);
}

TEST(StandardWebhooks, SignatureCoversIdTimestampAndBody) {
    const std::string base = standardWebhooksSignature(kNewSecret, "dlv_abc", kT, kBody);
    EXPECT_NE(standardWebhooksSignature(kNewSecret, "dlv_abd", kT, kBody), base);
    EXPECT_NE(standardWebhooksSignature(kNewSecret, "dlv_abc", kT + 1, kBody), base);
    EXPECT_NE(standardWebhooksSignature(kNewSecret, "dlv_abc", kT, kBody + " "), base);
}

TEST(StandardWebhooks, NewSigningSecretsArePaddedStandardBase64Of32Bytes) {
    std::set<std::string> seen;
    bool sawSpecialCharacter = false;
    for (int i = 0; i < 200; ++i) {
        const std::string secret = integrations::newSigningSecret();
        ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;
        const std::string encoded = secret.substr(6);
        ASSERT_EQ(encoded.size(), 44u) << secret;
        EXPECT_EQ(encoded.back(), '=') << secret;
        EXPECT_EQ(encoded.find_first_of("-_"), std::string::npos) << "not base64url: " << secret;
        sawSpecialCharacter |= encoded.find_first_of("+/") != std::string::npos;
        const auto decoded = core::base64Decode(encoded);  // the standard alphabet only
        ASSERT_TRUE(decoded.has_value()) << secret;
        EXPECT_EQ(decoded->size(), 32u) << secret;
        EXPECT_EQ(standardWebhooksKey(secret), *decoded);
        seen.insert(secret);
    }
    EXPECT_EQ(seen.size(), 200u);
    EXPECT_TRUE(sawSpecialCharacter) << "200 secrets of 44 characters without + or / is not random";
}

}  // namespace
}  // namespace smbhub::crypto
