#include <gtest/gtest.h>

#include "server/RequestFraming.h"

namespace smbhub::server {
namespace {

constexpr std::uint64_t kLimit = 1024;

FramingVerdict check(std::vector<Header> headers, int minor = 1) {
    headers.insert(headers.begin(), Header{"Host", "hub"});
    return checkFraming(minor, headers, kLimit);
}

TEST(RequestFraming, NoLengthAndNoEncodingMeansNoBody) {
    const FramingVerdict v = check({});
    EXPECT_TRUE(v.ok());
    EXPECT_EQ(v.framing, BodyFraming::None);
}

TEST(RequestFraming, OneContentLengthIsTheBodyLength) {
    const FramingVerdict v = check({{"Content-Length", "42"}});
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v.framing, BodyFraming::Length);
    EXPECT_EQ(v.contentLength, 42u);
    EXPECT_EQ(check({{"content-length", " 0 "}}).framing, BodyFraming::None);
}

TEST(RequestFraming, AnythingButDigitsInContentLengthIs400) {
    for (const char* bad : {"abc", "-1", "+3", "3, 3", "3 3", "", "0x10", "99999999999999999999"}) {
        EXPECT_EQ(check({{"Content-Length", bad}}).status, 400) << bad;
    }
}

TEST(RequestFraming, TwoContentLengthsAre400EvenWhenEqual) {
    EXPECT_EQ(check({{"Content-Length", "3"}, {"Content-Length", "3"}}).status, 400);
    EXPECT_EQ(check({{"Content-Length", "3"}, {"Content-Length", "4"}}).status, 400);
}

TEST(RequestFraming, LengthWithTransferEncodingIs400) {
    EXPECT_EQ(check({{"Content-Length", "3"}, {"Transfer-Encoding", "chunked"}}).status, 400);
    EXPECT_EQ(check({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}}).status, 400);
}

TEST(RequestFraming, OnlyChunkedIsAnEncoding) {
    EXPECT_EQ(check({{"Transfer-Encoding", "chunked"}}).framing, BodyFraming::Chunked);
    EXPECT_EQ(check({{"Transfer-Encoding", "Chunked"}}).framing, BodyFraming::Chunked);
    for (const char* bad : {"gzip", "chunked, gzip", "gzip, chunked", "identity", ""}) {
        EXPECT_EQ(check({{"Transfer-Encoding", bad}}).status, 400) << bad;
    }
    EXPECT_EQ(check({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}).status, 400);
    EXPECT_EQ(check({{"Transfer-Encoding", "chunked"}}, 0).status, 400) << "HTTP/1.0 has no chunked";
}

TEST(RequestFraming, ADeclaredLengthOverTheLimitIs413) {
    EXPECT_EQ(check({{"Content-Length", "1025"}}).status, 413);
    EXPECT_TRUE(check({{"Content-Length", "1024"}}).ok());
}

TEST(RequestFraming, Http11NeedsExactlyOneHost) {
    EXPECT_EQ(checkFraming(1, {}, kLimit).status, 400);
    EXPECT_EQ(checkFraming(1, {{"Host", "a"}, {"Host", "b"}}, kLimit).status, 400);
    EXPECT_TRUE(checkFraming(0, {}, kLimit).ok()) << "HTTP/1.0 may omit it";
}

TEST(RequestFraming, Expect100ContinueIsNoticed) {
    EXPECT_TRUE(check({{"Expect", "100-continue"}, {"Content-Length", "5"}}).expectContinue);
    EXPECT_FALSE(check({{"Content-Length", "5"}}).expectContinue);
}

}  // namespace
}  // namespace smbhub::server
