// Requests the hub must refuse, each with the SPEC §6 error body: the right status and code, a
// message, and the offending field where there is one.
#include <string>

#include "HubTest.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

class BadInputTest : public HubTest {
protected:
    void SetUp() override {
        HubTest::SetUp();
        account_ = createAccount();
    }

    ApiResponse createWith(const std::string& body) {
        return api().post("/api/integrations/webhook", body, account_.apiKey);
    }

    // A valid creation body with one member replaced (or removed, when `json` is empty).
    std::string bodyWith(const std::string& member, const std::string& json) const {
        std::map<std::string, std::string> members = {
            {"provider", R"("webhook")"},
            {"displayName", R"("Hook")"},
            {"targetUrl", jsonQuote("https://localhost:9/hooks")},
            {"events", R"(["lead.created"])"}};
        if (json.empty()) members.erase(member);
        else members[member] = json;
        std::string body = "{";
        for (const auto& [name, value] : members) {
            if (body.size() > 1) body += ",";
            body += jsonQuote(name) + ":" + value;
        }
        return body + "}";
    }

    TestAccount account_;
};

TEST_F(BadInputTest, MalformedJsonIsInvalidRequest) {
    EXPECT_TRUE(isApiError(createWith(R"({"provider":"webhook",)"), 400, "invalid_request"));
    EXPECT_TRUE(isApiError(createWith("[1,2,3]"), 400, "invalid_request"));
    // Valid JSON that is not an object is named as such (Poco alone would call it invalid JSON).
    for (const char* notAnObject : {R"("{")", "42", "[1,2,3]", " null"}) {
        const auto response = createWith(notAnObject);
        EXPECT_TRUE(isApiError(response, 400, "invalid_request")) << notAnObject;
        EXPECT_NE(response.body.find("body must be a JSON object"), std::string::npos) << response.body;
    }
    EXPECT_TRUE(isApiError(
        api().post("/api/events", R"({"type":"lead.created","data":{)", account_.apiKey), 400,
        "invalid_request"));
}

TEST_F(BadInputTest, WrongTypesNameTheField) {
    EXPECT_TRUE(isApiError(createWith(bodyWith("events", R"("lead.created")")), 400,
                           "invalid_request", "events"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("displayName", "42")), 400, "invalid_request",
                           "displayName"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("targetUrl", "7")), 400, "invalid_request",
                           "targetUrl"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("provider", "true")), 400, "invalid_request",
                           "provider"));
}

TEST_F(BadInputTest, MissingFieldsAreNamed) {
    EXPECT_TRUE(isApiError(createWith(bodyWith("targetUrl", "")), 400, "invalid_request",
                           "targetUrl"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("events", "")), 400, "invalid_request", "events"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("events", "[]")), 400, "invalid_request",
                           "events"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("provider", "")), 400, "invalid_request",
                           "provider"));
}

TEST_F(BadInputTest, UnknownEventTypeOrProviderIsRefused) {
    EXPECT_TRUE(isApiError(createWith(bodyWith("events", R"(["lead.created","lead.deleted"])")),
                           400, "invalid_request", "events"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("provider", R"("carrier-pigeon")")), 400,
                           "invalid_request", "provider"));
}

TEST_F(BadInputTest, PlainHttpTargetIsRefused) {
    EXPECT_TRUE(isApiError(createWith(bodyWith("targetUrl", jsonQuote("http://localhost:9/x"))),
                           400, "invalid_request", "targetUrl"));
    EXPECT_TRUE(isApiError(createWith(bodyWith("targetUrl", jsonQuote("not a url"))), 400,
                           "invalid_request", "targetUrl"));
}

TEST_F(BadInputTest, PublishedEventsAreValidated) {
    const auto publishBody = [&](const std::string& body) {
        return api().post("/api/events", body, account_.apiKey);
    };
    EXPECT_TRUE(isApiError(publishBody(R"({"type":"lead.deleted","data":{}})"), 400,
                           "invalid_request", "type"));
    EXPECT_TRUE(isApiError(publishBody(R"({"data":{"leads":[]}})"), 400, "invalid_request",
                           "type"));
    EXPECT_TRUE(isApiError(publishBody(R"({"type":"lead.created","data":{"leads":"many"}})"), 400,
                           "invalid_request", "data"));
    EXPECT_TRUE(isApiError(publishBody(R"({"type":"lead.created"})"), 400, "invalid_request",
                           "data"));
    EXPECT_TRUE(isApiError(
        publishBody(R"({"type":"credit.low_balance","data":{"remaining":"ten","threshold":50}})"),
        400, "invalid_request", "data"));
    EXPECT_TRUE(isApiError(
        publishBody(R"({"type":"credit.low_balance","data":{"remaining":80,"threshold":50}})"),
        400, "invalid_request", "data"));
}

TEST_F(BadInputTest, BodyOverOneMebibyteIsTooLarge) {
    const std::string padding(1024 * 1024 + 512, 'x');
    const ApiResponse response = api().post(
        "/api/events",
        R"({"type":"lead.created","data":{"leads":[{"note":")" + padding + R"("}]}})",
        account_.apiKey);
    EXPECT_TRUE(isApiError(response, 413, "payload_too_large"));
    // The hub is still serving afterwards.
    EXPECT_EQ(api().get("/api/integrations", account_.apiKey).status, 200);
}

// Without a Content-Length the size is only known while reading: a chunked body is cut off
// once it passes the limit, and nothing of it is published.
TEST_F(BadInputTest, ChunkedBodyOverOneMebibyteIsTooLarge) {
    createWebhook(account_, "/hooks/chunked");
    const std::string padding(1024 * 1024 + 512, 'x');
    ApiRequest request;
    request.method = "POST";
    request.path = "/api/events";
    request.body = R"({"type":"lead.created","data":{"leads":[{"note":")" + padding + R"("}]}})";
    request.chunked = true;
    request.bearerToken = account_.apiKey;
    EXPECT_TRUE(isApiError(api().send(request), 413, "payload_too_large"));

    // Under the limit, the same way of sending is accepted: the limit, not chunking, refused it.
    request.body = R"({"type":"lead.created","data":)" + leadsData(1) + "}";
    const ApiResponse small = api().send(request);
    ASSERT_EQ(small.status, 202) << small.describe();
    EXPECT_EQ(api().get("/api/integrations", account_.apiKey).status, 200);
    const auto events = hub().database()->query("SELECT id FROM events");
    ASSERT_EQ(events.size(), 1u) << "the refused body was published";
    EXPECT_EQ(events[0][0], small.string("id"));
}

TEST_F(BadInputTest, WrongContentTypeIsUnsupportedMediaType) {
    ApiRequest request;
    request.method = "POST";
    request.path = "/api/integrations/webhook";
    request.body = bodyWith("events", R"(["lead.created"])");
    request.contentType = "text/plain";
    request.bearerToken = account_.apiKey;
    EXPECT_TRUE(isApiError(api().send(request), 415, "unsupported_media_type"));

    request.contentType = "application/x-www-form-urlencoded";
    EXPECT_TRUE(isApiError(api().send(request), 415, "unsupported_media_type"));
}

TEST_F(BadInputTest, UnknownRouteIsNotFound) {
    EXPECT_TRUE(isApiError(api().get("/api/nothing-here", account_.apiKey), 404, "not_found"));
    EXPECT_TRUE(isApiError(api().get("/api/v1/integrations", account_.apiKey), 404, "not_found"));
    EXPECT_TRUE(
        isApiError(api().get("/api/integrations/int_doesnotexist", account_.apiKey), 404,
                   "not_found"));
}

TEST_F(BadInputTest, WrongMethodIsMethodNotAllowed) {
    ApiRequest request;
    request.method = "PUT";
    request.path = "/api/integrations";
    request.body = "{}";
    request.bearerToken = account_.apiKey;
    EXPECT_TRUE(isApiError(api().send(request), 405, "method_not_allowed"));
    EXPECT_TRUE(isApiError(api().del("/api/events", account_.apiKey), 405, "method_not_allowed"));
}

// With delivery.allow_private_networks false (the production default), loopback and private
// destinations are refused when the integration is created.
class PrivateNetworkTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"delivery.allow_private_networks", "false"}};
    }
};

TEST_F(PrivateNetworkTest, LoopbackAndPrivateTargetsAreRefused) {
    const TestAccount account = createAccount();
    for (const std::string target :
         {"https://127.0.0.1/hooks", "https://localhost/hooks", "https://10.1.2.3/hooks",
          "https://192.168.0.10/hooks", "https://169.254.169.254/latest/meta-data",
          "https://[::1]/hooks",
          // IPv4-translated ::ffff:0:a.b.c.d, Teredo (2001::/32), 6to4 of a private address,
          // IPv4-mapped loopback and NAT64 of metadata.
          "https://[::ffff:0:127.0.0.1]/x", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x",
          "https://[2002:c0a8:0101::1]/x", "https://[::ffff:127.0.0.1]/x", "https://[64:ff9b::a9fe:a9fe]/x"}) {
        SCOPED_TRACE(target);
        const ApiResponse response =
            api().post("/api/integrations/webhook",
                       R"({"provider":"webhook","displayName":"x","targetUrl":)" +
                           jsonQuote(target) + R"(,"events":["lead.created"]})",
                       account.apiKey);
        EXPECT_TRUE(isApiError(response, 400, "invalid_request", "targetUrl"));
    }
    const ApiResponse list = api().get("/api/integrations", account.apiKey);
    EXPECT_EQ(jsonSize(list.json, "integrations"), 0u) << list.describe();
}

}  // namespace
}  // namespace smbhub::test
