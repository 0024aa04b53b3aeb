// JSON bodies are read strictly and Idempotency-Keys mean what they say (SPEC §13): duplicate
// keys, integers past 64 bits, inexact numbers and invalid UTF-8 are 400s naming the field; a
// key repeated with another body is 422, and a key is forgotten after its retention.
#include <chrono>
#include <string>
#include <thread>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class StrictInputTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"retention.idempotency_keys", R"("2s")"}};
    }

    void SetUp() override {
        HubTest::SetUp();
        account_ = createAccount();
        integration_ = createWebhook(account_, "/hooks/strict", {"lead.created", "credit.low_balance"});
    }

    ApiResponse publishRaw(const std::string& body, const HttpHeaders& headers = {}) {
        return api().post("/api/events", body, account_.apiKey, headers);
    }

    TestAccount account_;
    TestIntegration integration_;
};

TEST_F(StrictInputTest, AnIntegerPast64BitsIsRefusedNotWrapped) {
    const ApiResponse response = publishRaw(
        R"({"type":"credit.low_balance","data":{"remaining":18446744073709551617,"threshold":5}})");
    EXPECT_TRUE(isApiError(response, 400, "invalid_request", "data.remaining"));
    // Integers that do fit are delivered as written.
    const ApiResponse ok = publishRaw(R"({"type":"credit.low_balance","data":{"remaining":-9223372036854775808,"threshold":5}})");
    EXPECT_EQ(ok.status, 202) << ok.describe();
}

TEST_F(StrictInputTest, ANumberTooLargeToBeExactIsRefused) {
    EXPECT_TRUE(isApiError(publishRaw(R"({"type":"credit.low_balance","data":{"remaining":1e400,"threshold":5}})"),
                           400, "invalid_request", "data.remaining"));
    EXPECT_TRUE(isApiError(publishRaw(R"({"type":"credit.low_balance","data":{"remaining":1e20,"threshold":5e20}})"),
                           400, "invalid_request", "data.remaining"));
}

TEST_F(StrictInputTest, ADuplicateKeyIsRefusedNamingIt) {
    EXPECT_TRUE(isApiError(publishRaw(R"({"type":"lead.created","data":{"leads":[{"id":"a","id":"b"}]}})"), 400,
                           "invalid_request", "data.leads[0].id"));
    EXPECT_TRUE(isApiError(publishRaw(R"({"type":"lead.created","type":"lead.updated","data":{"leads":[]}})"), 400,
                           "invalid_request", "type"));
    EXPECT_TRUE(isApiError(api().patch("/api/integrations/" + integration_.id,
                                       R"({"displayName":"a","displayName":"b"})", account_.apiKey),
                           400, "invalid_request", "displayName"));
}

TEST_F(StrictInputTest, InvalidUtf8IsRefusedNamingTheField) {
    const std::string latin1 = "{\"type\":\"lead.created\",\"data\":{\"leads\":[{\"name\":\"Caf\xe9\"}]}}";
    EXPECT_TRUE(isApiError(publishRaw(latin1), 400, "invalid_request", "data.leads[0].name"));
    const std::string surrogate = R"({"type":"lead.created","data":{"leads":[{"name":"\ud800"}]}})";
    EXPECT_TRUE(isApiError(publishRaw(surrogate), 400, "invalid_request", "data.leads[0].name"));
    // Well-formed UTF-8 and escaped pairs are fine.
    EXPECT_EQ(publishRaw("{\"type\":\"lead.created\",\"data\":{\"leads\":[{\"name\":\"Caf\xc3\xa9 \\ud83d\\ude00\"}]}}").status,
              202);
}

TEST_F(StrictInputTest, ARepeatedKeyWithTheSameRequestReplaysTheFirstResult) {
    const HttpHeaders key = {{"Idempotency-Key", "order-1"}};
    const ApiResponse first = publishRaw(R"({"type":"lead.created","data":{"leads":[{"id":"a","n":1}]}})", key);
    ASSERT_EQ(first.status, 202) << first.describe();
    // The same request, spaced and ordered differently.
    const ApiResponse again =
        publishRaw(R"({ "data" : { "leads" : [ { "n" : 1, "id" : "a" } ] }, "type" : "lead.created" })", key);
    ASSERT_EQ(again.status, 202) << again.describe();
    EXPECT_EQ(again.string("id"), first.string("id"));
    EXPECT_EQ(again.string("deliveries.0.deliveryId"), first.string("deliveries.0.deliveryId"));
}

TEST_F(StrictInputTest, ARepeatedKeyWithAnotherBodyIs422AndPublishesNothing) {
    const HttpHeaders key = {{"Idempotency-Key", "order-2"}};
    const ApiResponse first = publishRaw(R"({"type":"lead.created","data":{"leads":[{"id":"a"}]}})", key);
    ASSERT_EQ(first.status, 202) << first.describe();
    const ApiResponse other = publishRaw(R"({"type":"lead.created","data":{"leads":[{"id":"b"}]}})", key);
    EXPECT_TRUE(isApiError(other, 422, "idempotency_mismatch"));
    const auto log = waitForAttempts(account_, integration_.id, [](const auto& a) { return a.size() >= 1; }, 10s);
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(attempts(account_, integration_.id).size(), 1u) << attemptsText(log);
}

TEST_F(StrictInputTest, AKeyIsForgottenAfterItsRetention) {
    const HttpHeaders key = {{"Idempotency-Key", "order-3"}};
    const std::string body = R"({"type":"lead.created","data":{"leads":[{"id":"a"}]}})";
    const ApiResponse first = publishRaw(body, key);
    ASSERT_EQ(first.status, 202) << first.describe();
    std::this_thread::sleep_for(2500ms);  // retention.idempotency_keys is 2 s here
    const ApiResponse later = publishRaw(body, key);
    ASSERT_EQ(later.status, 202) << later.describe();
    EXPECT_NE(later.string("id"), first.string("id")) << "an expired key still replayed";
}

TEST_F(StrictInputTest, KeysOfOneAccountDoNotCrossIntoAnother) {
    const TestAccount other = createAccount("pro", "Other Co");
    createWebhook(other, "/hooks/other");
    const HttpHeaders key = {{"Idempotency-Key", "shared-key"}};
    const std::string body = R"({"type":"lead.created","data":{"leads":[{"id":"a"}]}})";
    const ApiResponse mine = publishRaw(body, key);
    const ApiResponse theirs = api().post("/api/events", body, other.apiKey, key);
    ASSERT_EQ(mine.status, 202) << mine.describe();
    ASSERT_EQ(theirs.status, 202) << theirs.describe();
    EXPECT_NE(mine.string("id"), theirs.string("id"));
}

}  // namespace
}  // namespace smbhub::test
