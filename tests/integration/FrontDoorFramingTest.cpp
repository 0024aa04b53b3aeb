// The front door's framing (SPEC §13): on one connection, the bytes of one request are never
// taken for the next, whatever the hub answers and whenever it answers it; malformed framing
// is a JSON 400 and the end of the connection. Every test speaks raw HTTP on one TCP
// connection, as a reverse proxy with upstream keep-alive would.
#include <chrono>
#include <string>

#include "HubTest.h"
#include "support/RawConnection.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class FrontDoorFramingTest : public HubTest {
protected:
    void SetUp() override {
        HubTest::SetUp();
        account_ = createAccount();
    }

    RawConnection connect() { return RawConnection(hub().host(), hub().port()); }

    // A request whose body is itself a complete, authorised request: if the hub ever read this
    // body as the next request, that GET would be answered with a 200.
    std::string smuggling(const std::string& method, const std::string& path,
                          const std::string& extraHeaders = "") const {
        const std::string smuggled =
            "GET /api/integrations HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " +
            account_.apiKey + "\r\n\r\n";
        return method + " " + path + " HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n" +
               extraHeaders + "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled;
    }

    // After the first answer, nothing else may come back on the connection: no second response
    // (the smuggled one), whether the hub keeps the connection open or closes it.
    void expectOneAnswer(RawConnection& connection, int status) {
        const auto first = connection.readResponse(10s);
        ASSERT_TRUE(first) << "no answer";
        EXPECT_EQ(first->status, status) << first->body;
        EXPECT_EQ(first->header("Content-Type"), "application/json");
        const std::string rest = connection.readFor(1500ms);
        EXPECT_EQ(rest, "") << "the body was answered as a request of its own";
    }

    TestAccount account_;
};

TEST_F(FrontDoorFramingTest, ABodyAnswered404IsNeverReadAsTheNextRequest) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(smuggling("POST", "/api/does-not-exist")));
    expectOneAnswer(connection, 404);
}

TEST_F(FrontDoorFramingTest, ABodyAnswered405IsNeverReadAsTheNextRequest) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(smuggling("PUT", "/api/integrations")));
    expectOneAnswer(connection, 405);
}

TEST_F(FrontDoorFramingTest, ABodyAnswered401IsNeverReadAsTheNextRequest) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(smuggling("POST", "/api/integrations/webhook")));
    expectOneAnswer(connection, 401);
}

TEST_F(FrontDoorFramingTest, ABodyAnswered403IsNeverReadAsTheNextRequest) {
    const TestAccount freeAccount = createAccount("free");
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(smuggling("POST", "/api/integrations/webhook",
                                          "Authorization: Bearer " + freeAccount.apiKey + "\r\n")));
    expectOneAnswer(connection, 403);
}

TEST_F(FrontDoorFramingTest, AKeepAliveClientRetryingAfterA401IsServedAndItsEventPublished) {
    const TestIntegration integration = createWebhook(account_, "/hooks/retry-after-401");
    const std::string body = R"({"type":"lead.created","data":{"leads":[{"id":"l1"}]}})";
    const auto publish = [&](const std::string& key) {
        return "POST /api/events HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nAuthorization: Bearer " +
               key + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(publish("smbk_wrongkey000000000000000000")));
    const auto refused = connection.readResponse(10s);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    ASSERT_TRUE(connection.send(publish(account_.apiKey)));
    const auto accepted = connection.readResponse(10s);
    ASSERT_TRUE(accepted) << "no answer to the retry on the same connection";
    ASSERT_EQ(accepted->status, 202) << accepted->body;
    const std::string deliveryId = jsonString(parseJson(accepted->body), "deliveries.0.deliveryId");
    const auto arrivals = waitForDeliveryIds({deliveryId}, 20s);
    EXPECT_EQ(missingFrom(arrivals, {deliveryId}), 0u) << "the retried event was not delivered";
    (void)integration;
}

TEST_F(FrontDoorFramingTest, PipelinedRequestsAreAnsweredInOrder) {
    const std::string get = "GET /api/integrations HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " +
                            account_.apiKey + "\r\n\r\n";
    const std::string missing = "GET /api/nothing HTTP/1.1\r\nHost: hub\r\n\r\n";
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(get + missing + get));
    for (int expected : {200, 404, 200}) {
        const auto response = connection.readResponse(10s);
        ASSERT_TRUE(response);
        EXPECT_EQ(response->status, expected) << response->body;
    }
}

TEST_F(FrontDoorFramingTest, APostWithoutBodyOrLengthHasAnEmptyBodyAndIsAnsweredAtOnce) {
    const TestIntegration integration = createWebhook(account_, "/hooks/bodyless");
    RawConnection connection = connect();
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(connection.send("POST /api/integrations/" + integration.id +
                                "/test HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " + account_.apiKey +
                                "\r\n\r\n"));
    const auto response = connection.readResponse(20s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 202) << response->body;
    // Before the fix the hub waited for a body until its socket timeout (61 s).
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

// Each refusal closes the connection: the hub cannot know where the next request would begin.
struct BadFraming {
    const char* name;
    std::string head;
};

class FrontDoorBadFramingTest : public FrontDoorFramingTest,
                                public ::testing::WithParamInterface<BadFraming> {};

TEST_P(FrontDoorBadFramingTest, IsAJson400AndClosesTheConnection) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(GetParam().head));
    const auto response = connection.readResponse(10s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 400) << response->body;
    EXPECT_EQ(jsonString(parseJson(response->body), "error.code"), "invalid_request") << response->body;
    EXPECT_TRUE(connection.closedWithin(5s)) << "the connection stayed open";
}

const std::string kPublishLine = "POST /api/events HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n";

INSTANTIATE_TEST_SUITE_P(
    Framing, FrontDoorBadFramingTest,
    ::testing::Values(
        BadFraming{"ContentLengthNotANumber", kPublishLine + "Content-Length: abc\r\n\r\n{}"},
        BadFraming{"TwoEqualContentLengths", kPublishLine + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"},
        BadFraming{"TwoDifferentContentLengths", kPublishLine + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"},
        BadFraming{"ContentLengthList", kPublishLine + "Content-Length: 2, 2\r\n\r\n{}"},
        BadFraming{"LengthAndChunked",
                   kPublishLine + "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
        BadFraming{"ChunkedAndLength",
                   kPublishLine + "Transfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
        BadFraming{"EncodingOtherThanChunked", kPublishLine + "Transfer-Encoding: gzip\r\n\r\n{}"},
        BadFraming{"ChunkedNotLast", kPublishLine + "Transfer-Encoding: chunked, gzip\r\n\r\n{}"},
        BadFraming{"MalformedRequestLine", std::string("THIS IS NOT HTTP\r\n\r\n")},
        BadFraming{"MalformedHeaderLine", std::string("GET /api/integrations HTTP/1.1\r\nHost hub\r\n\r\n")},
        BadFraming{"NoHostOnHttp11", std::string("GET /api/integrations HTTP/1.1\r\n\r\n")},
        BadFraming{"TwoHosts", std::string("GET /api/integrations HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")}),
    [](const ::testing::TestParamInfo<BadFraming>& info) { return std::string(info.param.name); });

TEST_F(FrontDoorFramingTest, AChunkedBodyIsRead) {
    createWebhook(account_, "/hooks/chunked");
    const std::string body = R"({"type":"lead.created","data":{"leads":[{"id":"l1"}]}})";
    const std::string half = body.substr(0, 20);
    const std::string rest = body.substr(20);
    const auto hex = [](std::size_t n) {
        char text[32];
        std::snprintf(text, sizeof text, "%zx", n);
        return std::string(text);
    };
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(kPublishLine + "Authorization: Bearer " + account_.apiKey +
                                "\r\nTransfer-Encoding: chunked\r\n\r\n" + hex(half.size()) + "\r\n" + half +
                                "\r\n" + hex(rest.size()) + "\r\n" + rest + "\r\n0\r\n\r\n"));
    const auto response = connection.readResponse(10s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 202) << response->body;
}

TEST_F(FrontDoorFramingTest, AChunkedBodyOverTheLimitIs413AndClosesTheConnection) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(kPublishLine + "Authorization: Bearer " + account_.apiKey +
                                "\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 17 && connection.send("10000\r\n" + chunk + "\r\n"); ++i) {
    }
    const auto response = connection.readResponse(10s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(jsonString(parseJson(response->body), "error.code"), "payload_too_large");
    EXPECT_TRUE(connection.closedWithin(5s));
}

TEST_F(FrontDoorFramingTest, ADeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent) {
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(kPublishLine + "Authorization: Bearer " + account_.apiKey +
                                "\r\nContent-Length: 5000000\r\n\r\n"));
    const auto response = connection.readResponse(10s);
    ASSERT_TRUE(response) << "the hub waited for a body it was going to refuse";
    EXPECT_EQ(response->status, 413);
    EXPECT_TRUE(connection.closedWithin(5s));
}

TEST_F(FrontDoorFramingTest, Expect100ContinueIsAnsweredBeforeTheBodyIsSent) {
    createWebhook(account_, "/hooks/continue");
    const std::string body = R"({"type":"lead.created","data":{"leads":[{"id":"l1"}]}})";
    RawConnection connection = connect();
    ASSERT_TRUE(connection.send(kPublishLine + "Authorization: Bearer " + account_.apiKey +
                                "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\n\r\n"));
    const auto interim = connection.readResponse(10s);
    ASSERT_TRUE(interim) << "no 100 Continue";
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(connection.send(body));
    const auto response = connection.readResponse(10s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 202) << response->body;
}

TEST_F(FrontDoorFramingTest, MethodNotAllowedNamesTheAllowedMethods) {
    const ApiResponse response = api().del("/api/events", account_.apiKey);
    EXPECT_TRUE(isApiError(response, 405, "method_not_allowed"));
    EXPECT_EQ(response.header("Allow"), "POST") << response.describe();
    const ApiResponse integration = api().post("/api/integrations/int_x", "{}", account_.apiKey);
    EXPECT_EQ(integration.status, 405);
    EXPECT_EQ(integration.header("Allow"), "GET, PATCH, DELETE") << integration.describe();
}

}  // namespace
}  // namespace smbhub::test
