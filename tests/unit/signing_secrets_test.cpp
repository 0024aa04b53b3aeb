// The secrets a delivery is signed with at a moment (SPEC §15 rotation): the new one first, the
// replaced one beside it until it expires — by the clock, with nothing reloaded.
#include <gtest/gtest.h>

#include <vector>

#include "integrations/SigningSecrets.h"

namespace smbhub::integrations {
namespace {

std::vector<std::string> at(const SigningSecrets& s, std::int64_t now) {
    const auto span = s.at(now);
    return {span.begin(), span.end()};
}

TEST(SigningSecrets, OneSecretWithoutARotation) {
    const SigningSecrets s("whsec_new");
    EXPECT_EQ(at(s, 0), std::vector<std::string>{"whsec_new"});
    EXPECT_FALSE(s.previousActiveAt(0));
}

TEST(SigningSecrets, TheReplacedSecretSignsSecondUntilItsExpiry) {
    const SigningSecrets s("whsec_new", "whsec_old", 5000);
    EXPECT_EQ(at(s, 4999), (std::vector<std::string>{"whsec_new", "whsec_old"}));
    EXPECT_EQ(at(s, 5000), std::vector<std::string>{"whsec_new"}) << "expired at its expiry";
    EXPECT_EQ(s.current(), "whsec_new");
}

TEST(SigningSecrets, AnEmptyPreviousSecretNeverSigns) {
    const SigningSecrets s("whsec_new", "", 5000);
    EXPECT_EQ(at(s, 0), std::vector<std::string>{"whsec_new"});
}

}  // namespace
}  // namespace smbhub::integrations
