#include <gtest/gtest.h>

#include "crypto/SecretBox.h"

namespace smbhub::crypto {
namespace {

const std::string kKey(32, 'k');

TEST(SecretBox, RoundTripsAndHidesThePlaintext) {
    SecretBox box(kKey);
    const std::string sealed = box.seal("whsec_abc", "signing:int_1");
    EXPECT_EQ(sealed.rfind("v1:", 0), 0u);
    EXPECT_EQ(sealed.find("whsec_abc"), std::string::npos);
    EXPECT_EQ(box.open(sealed, "signing:int_1"), "whsec_abc");
    EXPECT_NE(box.seal("whsec_abc", "signing:int_1"), sealed) << "nonces must differ";
}

TEST(SecretBox, RefusesOtherRowsKeysAndTampering) {
    SecretBox box(kKey);
    const std::string sealed = box.seal("whsec_abc", "signing:int_1");
    EXPECT_FALSE(box.open(sealed, "signing:int_2"));
    EXPECT_FALSE(SecretBox(std::string(32, 'x')).open(sealed, "signing:int_1"));
    std::string tampered = sealed;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(box.open(tampered, "signing:int_1"));
    EXPECT_FALSE(box.open("garbage", "signing:int_1"));
}

TEST(SecretBox, RequiresA32ByteKey) {
    EXPECT_THROW(SecretBox("short"), std::invalid_argument);
}

}  // namespace
}  // namespace smbhub::crypto
