#include <gtest/gtest.h>

#include "core/StrictJson.h"

namespace smbhub::core {
namespace {

std::string fieldOf(std::string_view json) {
    const auto problem = checkStrictJson(json);
    return problem ? problem->field : "<accepted>";
}

TEST(StrictJson, AcceptsOrdinaryDocuments) {
    for (const char* ok : {R"({})", R"([])", R"({"a":[1,-2,3.5,1e3,true,false,null,"x"]})", R"("text")", "0",
                           R"({"n":18446744073709551615,"m":-9223372036854775808})",
                           R"({"s":"caf\u00e9 \ud83d\ude00 \"\\\/\b\f\n\r\t"})", "  {\"a\" : 1 }\n"}) {
        EXPECT_EQ(checkStrictJson(ok), std::nullopt) << ok;
    }
    EXPECT_EQ(checkStrictJson("{\"s\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"), std::nullopt);
}

TEST(StrictJson, RefusesDuplicateKeysNamingThePath) {
    EXPECT_EQ(fieldOf(R"({"a":1,"a":2})"), "a");
    EXPECT_EQ(fieldOf(R"({"data":{"leads":[{"id":1},{"id":2,"id":3}]}})"), "data.leads[1].id");
    EXPECT_EQ(checkStrictJson(R"({"a":{"b":1},"c":{"b":1}})"), std::nullopt) << "same key in two objects is fine";
}

TEST(StrictJson, RefusesIntegersPast64Bits) {
    EXPECT_EQ(fieldOf(R"({"remaining":18446744073709551616})"), "remaining");
    EXPECT_EQ(fieldOf(R"({"remaining":-9223372036854775809})"), "remaining");
    EXPECT_EQ(fieldOf(R"([123456789012345678901234567890])"), "[0]");
}

TEST(StrictJson, RefusesNumbersThatAreNotExact) {
    EXPECT_EQ(fieldOf(R"({"x":1e400})"), "x");
    EXPECT_EQ(fieldOf(R"({"x":-1e400})"), "x");
    EXPECT_EQ(fieldOf(R"({"x":1e20})"), "x") << "a whole number past 2^53 as a double";
    EXPECT_EQ(checkStrictJson(R"({"x":0.1,"y":9007199254740992.0,"z":1e-400})"), std::nullopt);
}

TEST(StrictJson, RefusesInvalidUtf8) {
    EXPECT_EQ(fieldOf("{\"name\":\"Caf\xe9\"}"), "name") << "Latin-1";
    EXPECT_EQ(fieldOf("{\"name\":\"\xc0\xaf\"}"), "name") << "overlong";
    EXPECT_EQ(fieldOf("{\"name\":\"\xed\xa0\x80\"}"), "name") << "encoded surrogate";
    EXPECT_EQ(fieldOf("{\"name\":\"\xf4\x90\x80\x80\"}"), "name") << "past U+10FFFF";
    EXPECT_EQ(fieldOf("{\"name\":\"\xe2\x82\"}"), "name") << "truncated";
    EXPECT_EQ(fieldOf("{\"na\xffme\":1}"), "") << "in a key";
}

TEST(StrictJson, RefusesBrokenEscapesAndLoneSurrogates) {
    EXPECT_EQ(fieldOf(R"({"s":"\ud800"})"), "s");
    EXPECT_EQ(fieldOf(R"({"s":"\udc00"})"), "s");
    EXPECT_EQ(fieldOf(R"({"s":"\ud800\u0041"})"), "s");
    EXPECT_EQ(fieldOf(R"({"s":"\x41"})"), "s");
    EXPECT_EQ(fieldOf(R"({"s":"\u12"})"), "s");
    EXPECT_EQ(fieldOf("{\"s\":\"a\tb\"}"), "s") << "raw control character";
}

TEST(StrictJson, RefusesWhatIsNotJson) {
    for (const char* bad : {"", "{", R"({"a":})", R"({"a":1,})", "[1,]", "01", "-", "1.", ".5", "+1", "{'a':1}",
                            "tru", "nul", R"({"a":1} x)", "[1]]", R"({"a" 1})", "NaN", "Infinity"}) {
        EXPECT_NE(checkStrictJson(bad), std::nullopt) << bad;
    }
}

TEST(StrictJson, BoundsNesting) {
    EXPECT_EQ(checkStrictJson(std::string(64, '[') + std::string(64, ']')), std::nullopt);
    EXPECT_NE(checkStrictJson(std::string(65, '[') + std::string(65, ']')), std::nullopt);
    EXPECT_NE(checkStrictJson(std::string(100000, '[')), std::nullopt);
}

}  // namespace
}  // namespace smbhub::core
