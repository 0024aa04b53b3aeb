// The smb_session cookie the hub sets (api/SessionCookie): attributes, and when it is Secure.
#include <gtest/gtest.h>

#include "api/SessionCookie.h"

namespace smbhub::api {
namespace {

server::Request requestWith(std::vector<server::Header> headers) {
    server::Request r;
    r.method = "POST";
    r.headers = std::move(headers);
    return r;
}

TEST(SessionCookie, CarriesEveryAttribute) {
    EXPECT_EQ(sessionCookie("a.b.c", std::chrono::hours(12), false),
              "smb_session=a.b.c; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax");
    EXPECT_EQ(sessionCookie("a.b.c", std::chrono::seconds(5), true),
              "smb_session=a.b.c; Max-Age=5; Path=/; HttpOnly; SameSite=Lax; Secure");
    EXPECT_EQ(expiredSessionCookie(false),
              "smb_session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SessionCookie, IsSecureWhenTheBrowserCameOverTls) {
    EXPECT_FALSE(reachedOverTls(requestWith({}), "/dashboard"));
    EXPECT_FALSE(reachedOverTls(requestWith({{"Origin", "http://127.0.0.1:8080"}}), "/dashboard"));
    EXPECT_TRUE(reachedOverTls(requestWith({{"Origin", "https://hub.example.com"}}), "/dashboard"));
    EXPECT_TRUE(reachedOverTls(requestWith({{"X-Forwarded-Proto", "https"}}), "/dashboard"));
    EXPECT_TRUE(reachedOverTls(requestWith({{"x-forwarded-proto", " HTTPS , http"}}), "/dashboard"));
    EXPECT_FALSE(reachedOverTls(requestWith({{"X-Forwarded-Proto", "http, https"}}), "/dashboard"))
        << "the first hop is the client's";
    EXPECT_TRUE(reachedOverTls(requestWith({}), "https://app.example.com/integrations"));
}

}  // namespace
}  // namespace smbhub::api
