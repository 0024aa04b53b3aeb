// Times as clients send them (core::parseIsoUtc): ISO 8601 with a zone, as replay windows take
// them (SPEC §15), and nothing else.
#include <gtest/gtest.h>

#include "core/Clock.h"

namespace smbhub::core {
namespace {

constexpr std::int64_t k2026_12_01_09 = 1'796'115'600'000;  // 2026-12-01T09:00:00Z

TEST(ParseIsoUtc, ReadsWhatIsoUtcWritesAndTheUsualShorterForms) {
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00:00.000Z"), k2026_12_01_09);
    EXPECT_EQ(parseIsoUtc(isoUtc(k2026_12_01_09 + 123)), k2026_12_01_09 + 123);
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00:00Z"), k2026_12_01_09);
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00Z"), k2026_12_01_09);
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00:00.5Z"), k2026_12_01_09 + 500);
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00:00.123456789Z"), k2026_12_01_09 + 123) << "past milliseconds: cut";
}

TEST(ParseIsoUtc, OffsetsAreTurnedIntoUtc) {
    EXPECT_EQ(parseIsoUtc("2026-12-01T10:00:00+01:00"), k2026_12_01_09);
    EXPECT_EQ(parseIsoUtc("2026-12-01T03:30:00-05:30"), k2026_12_01_09);
    EXPECT_EQ(parseIsoUtc("2026-12-01T09:00:00+00:00"), k2026_12_01_09);
}

TEST(ParseIsoUtc, AnythingElseIsRefused) {
    for (const char* text : {"", "yesterday", "2026-12-01", "2026-12-01T09:00:00", "2026-12-01 09:00:00Z",
                             "2026-02-30T09:00:00Z", "2026-13-01T09:00:00Z", "2026-12-01T24:00:00Z",
                             "2026-12-01T09:60:00Z", "2026-12-01T09:00:00+25:00", "2026-12-01T09:00:00.Z",
                             " 2026-12-01T09:00:00Z", "2026-12-01T09:00:00Zjunk", "1764579600"}) {
        EXPECT_FALSE(parseIsoUtc(text)) << text;
    }
}

}  // namespace
}  // namespace smbhub::core
