// Requests a browser makes with the smb_session cookie (SPEC §13): one that changes anything must
// send JSON and come from the hub's own pages or the dashboard's origin; a session whose expiry
// is not a number is no session. Requests with an Authorization header are not a browser's.
#include <chrono>
#include <string>

#include "HubTest.h"
#include "support/SessionToken.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class BrowserRuleTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"dashboard.url", R"("https://app.example.com/integrations")"}};
    }

    void SetUp() override {
        HubTest::SetUp();
        account_ = createAccount();
        jwt_ = SessionToken::sign(hub().sessionSecret(), account_.id, std::chrono::system_clock::now() + 1h);
    }

    ApiResponse createAsBrowser(const std::string& contentType, const HttpHeaders& extra) {
        ApiRequest request;
        request.method = "POST";
        request.path = "/api/integrations/webhook";
        request.body = R"({"provider":"webhook","displayName":"From a page","targetUrl":)" +
                       jsonQuote(receiver().url("/hooks/browser")) + R"(,"events":["lead.created"]})";
        request.contentType = contentType;
        request.headers = extra;
        request.headers.emplace_back("Cookie", SessionToken::cookie(jwt_));
        return api().send(request);
    }

    std::size_t integrationCount() {
        return jsonSize(api().get("/api/integrations", account_.apiKey).json, "integrations");
    }

    TestAccount account_;
    std::string jwt_;
};

TEST_F(BrowserRuleTest, AFormEncodedBodyIsForbidden) {
    EXPECT_TRUE(isApiError(createAsBrowser("text/plain", {}), 403, "forbidden"));
    EXPECT_TRUE(isApiError(createAsBrowser("application/x-www-form-urlencoded", {}), 403, "forbidden"));
    EXPECT_EQ(integrationCount(), 0u);
}

TEST_F(BrowserRuleTest, AnotherSitesOriginIsForbidden) {
    EXPECT_TRUE(isApiError(createAsBrowser("application/json", {{"Origin", "https://evil.example"}}), 403,
                           "forbidden"));
    EXPECT_TRUE(isApiError(createAsBrowser("application/json", {{"Origin", "null"}}), 403, "forbidden"));
    EXPECT_EQ(integrationCount(), 0u);
}

TEST_F(BrowserRuleTest, TheHubsOwnOriginAndTheDashboardsAreAllowed) {
    EXPECT_EQ(createAsBrowser("application/json", {{"Origin", hub().baseUrl()}}).status, 201);
    EXPECT_EQ(createAsBrowser("application/json", {{"Origin", "https://app.example.com"}}).status, 201);
    EXPECT_EQ(createAsBrowser("application/json", {}).status, 201) << "no Origin: not a cross-site request";
    EXPECT_EQ(integrationCount(), 3u);
}

TEST_F(BrowserRuleTest, ReadsAndBearerRequestsAreNotSubjectToIt) {
    EXPECT_EQ(api().get("/api/integrations", "", {{"Cookie", SessionToken::cookie(jwt_)}, {"Origin", "https://evil.example"}}).status,
              200);
    ApiRequest request;
    request.method = "POST";
    request.path = "/api/events";
    request.body = R"({"type":"lead.created","data":{"leads":[{"id":"l1"}]}})";
    request.bearerToken = account_.apiKey;
    request.headers = {{"Origin", "https://evil.example"}};
    EXPECT_EQ(api().send(request).status, 202);
}

TEST_F(BrowserRuleTest, ASessionWhoseExpiryIsAStringIsUnauthorized) {
    const std::string jwt = SessionToken::signWithStringExpiry(hub().sessionSecret(), account_.id, "9999999999");
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", {{"Cookie", SessionToken::cookie(jwt)}}), 401,
                           "unauthorized"));
}

}  // namespace
}  // namespace smbhub::test
