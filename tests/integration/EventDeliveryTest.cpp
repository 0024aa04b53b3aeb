// Publishing events and what the receiver sees (SPEC §8): the lead sample, retries on the
// schedule with a stable delivery id, the delivery log, manual retry, Retry-After, redirects,
// timeouts and Idempotency-Key. The test config's schedule is 200ms, 400ms, 800ms, no jitter;
// the dispatcher looks for due retries every 250 ms (delivery.poll_interval).
//
// The tests whose outcome depends on reading the receiver's answer (status, headers, body) run
// once per ReplyWire shape: head and body apart, chunked, close-delimited with and without TLS
// close_notify, 1xx first, keep-alive.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "HubTest.h"
#include "support/SignatureCheck.h"

namespace smbhub::test {
namespace {

using ::testing::StartsWith;
using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 10s;
constexpr std::size_t kScheduledAttempts = 4;  // the first and three retries

std::chrono::milliseconds between(const ReceivedRequest& earlier, const ReceivedRequest& later) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(later.arrivedAt -
                                                                 earlier.arrivedAt);
}

bool newestIs(const std::vector<Poco::Dynamic::Var>& attempts, long long attempt,
              const std::string& status) {
    return !attempts.empty() && jsonInt(attempts.front(), "attempt") == attempt &&
           jsonString(attempts.front(), "status") == status;
}

// The signature's t= is the moment the request was sent (within a second or two of its
// arrival), not the moment the event was published or first attempted.
::testing::AssertionResult signedFresh(const ReceivedRequest& request) {
    SignatureHeader header;
    if (!SignatureCheck::parse(request.header("X-SMB-Signature"), header)) {
        return ::testing::AssertionFailure()
               << "unparsable X-SMB-Signature: " << request.header("X-SMB-Signature");
    }
    const long long arrived = std::chrono::duration_cast<std::chrono::seconds>(
                                  request.arrivedAtWall.time_since_epoch())
                                  .count();
    const long long signedAt = std::stoll(header.timestamp);
    if (signedAt > arrived || arrived - signedAt > 2) {
        return ::testing::AssertionFailure() << "signed at t=" << signedAt << ", arrived at "
                                             << arrived << " (attempt "
                                             << request.header("X-SMB-Attempt") << ")";
    }
    return ::testing::AssertionSuccess();
}

// The log shows the receiver's answer exactly, and no error beside it.
void expectLoggedAnswer(const Poco::Dynamic::Var& attempt, int status, const std::string& body) {
    SCOPED_TRACE(toJsonText(attempt));
    EXPECT_EQ(jsonInt(attempt, "responseStatus"), status);
    EXPECT_EQ(jsonString(attempt, "responseBody"), body);
    EXPECT_FALSE(jsonHas(attempt, "error"));
}

class EventDeliveryTest : public HubTest {};

class DeliveryOverEveryWireTest : public HubTest,
                                  public ::testing::WithParamInterface<ReplyWire> {
protected:
    void SetUp() override {
        HubTest::SetUp();
        receiver().setWire(GetParam());
    }
};

INSTANTIATE_TEST_SUITE_P(Wires, DeliveryOverEveryWireTest,
                         ::testing::ValuesIn(ReplyWire::deliveryShapes()),
                         [](const auto& info) { return info.param.name(); });

TEST_P(DeliveryOverEveryWireTest, LeadCreatedCarriesTheCountAndAFiveLeadSample) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/leads");

    const ApiResponse published = publish(account, "lead.created", leadsData(7));
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string eventId = published.string("id");
    EXPECT_THAT(eventId, StartsWith("evt_"));
    ASSERT_EQ(jsonSize(published.json, "deliveries"), 1u) << published.describe();
    EXPECT_EQ(jsonString(published.json, "deliveries.0.integrationId"), integration.id);
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    EXPECT_THAT(deliveryId, StartsWith("dlv_"));

    ASSERT_TRUE(receiver().waitForRequests("/hooks/leads", 1, kDeliveryWait));
    const ReceivedRequest request = receiver().requests("/hooks/leads").front();
    EXPECT_EQ(request.header("X-SMB-Event"), "lead.created");
    EXPECT_EQ(request.header("X-SMB-Event-Id"), eventId);
    EXPECT_EQ(request.header("X-SMB-Delivery"), deliveryId);
    const SignatureVerdict verdict = SignatureCheck::verify(
        request.header("X-SMB-Signature"), integration.signingSecret, request.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;

    const Poco::Dynamic::Var envelope = parseJson(request.body);
    EXPECT_EQ(jsonString(envelope, "id"), eventId);
    EXPECT_EQ(jsonString(envelope, "type"), "lead.created");
    EXPECT_EQ(jsonString(envelope, "accountId"), account.id);
    EXPECT_FALSE(jsonBool(envelope, "test")) << "only test deliveries carry test:true";
    EXPECT_EQ(jsonInt(envelope, "data.count"), 7) << request.body;
    ASSERT_EQ(jsonSize(envelope, "data.leads"), 5u) << request.body;
    EXPECT_EQ(jsonString(envelope, "data.leads.0.id"), "lead_1") << request.body;
    EXPECT_EQ(jsonString(envelope, "data.leads.0.businessName"), "Business 1 LLC");

    const auto attempts = waitForAttempts(
        account, integration.id, [](const auto& seen) { return newestIs(seen, 1, "succeeded"); },
        kDeliveryWait);
    ASSERT_EQ(attempts.size(), 1u) << attemptsText(attempts);
    EXPECT_EQ(jsonString(attempts[0], "status"), "succeeded");
    expectLoggedAnswer(attempts[0], 200, "ok");
}

TEST_P(DeliveryOverEveryWireTest, FailedAttemptsAreRetriedOnTheScheduleWithOneDeliveryId) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/flaky");
    receiver().setBehaviour("/hooks/flaky", ReceiverBehaviour::failFirst(2, 500));

    const ApiResponse published = publish(account, "lead.created", leadsData(2));
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");

    ASSERT_TRUE(receiver().waitForRequests("/hooks/flaky", 3, kDeliveryWait));
    const auto requests = receiver().requests("/hooks/flaky");
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE("attempt " + std::to_string(i + 1));
        EXPECT_EQ(requests[i].header("X-SMB-Attempt"), std::to_string(i + 1));
        EXPECT_EQ(requests[i].header("X-SMB-Delivery"), deliveryId);
        const SignatureVerdict verdict = SignatureCheck::verify(
            requests[i].header("X-SMB-Signature"), integration.signingSecret, requests[i].body);
        EXPECT_TRUE(verdict.valid) << verdict.reason;
        EXPECT_TRUE(signedFresh(requests[i]));
    }
    // 200ms then 400ms, without jitter; a little slack below for timer granularity. Above: the
    // poll interval (250 ms) plus a generous allowance for a loaded machine — still well short
    // of what a wrong step (the next one, or seconds for milliseconds) would take.
    EXPECT_GE(between(requests[0], requests[1]), 150ms);
    EXPECT_LT(between(requests[0], requests[1]), 200ms + 250ms + 1500ms);
    EXPECT_GE(between(requests[1], requests[2]), 350ms);
    EXPECT_LT(between(requests[1], requests[2]), 400ms + 250ms + 1500ms);

    const auto attempts = waitForAttempts(
        account, integration.id, [](const auto& seen) { return newestIs(seen, 3, "succeeded"); },
        kDeliveryWait);
    ASSERT_EQ(attempts.size(), 3u) << attemptsText(attempts);
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        const auto& attempt = attempts[i];
        SCOPED_TRACE(toJsonText(attempt));
        EXPECT_THAT(jsonString(attempt, "id"), StartsWith("att_"));
        EXPECT_EQ(jsonString(attempt, "deliveryId"), deliveryId);
        EXPECT_EQ(jsonString(attempt, "eventId"), published.string("id"));
        EXPECT_EQ(jsonString(attempt, "eventType"), "lead.created");
        EXPECT_EQ(jsonInt(attempt, "attempt"), static_cast<long long>(3 - i)) << "newest first";
        EXPECT_GE(jsonInt(attempt, "durationMs"), 0);
        EXPECT_FALSE(jsonString(attempt, "createdAt").empty());
    }
    EXPECT_EQ(jsonString(attempts[0], "status"), "succeeded");
    expectLoggedAnswer(attempts[0], 200, "ok");
    EXPECT_FALSE(jsonHas(attempts[0], "nextAttemptAt"));
    for (std::size_t i = 1; i < 3; ++i) {
        SCOPED_TRACE(toJsonText(attempts[i]));
        EXPECT_EQ(jsonString(attempts[i], "status"), "pending");
        expectLoggedAnswer(attempts[i], 500, "receiver says 500");
        EXPECT_FALSE(jsonString(attempts[i], "nextAttemptAt").empty());
    }
}

TEST_F(EventDeliveryTest, ExhaustedScheduleFailsTheDeliveryAndManualRetrySendsItAgain) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/down");
    receiver().setBehaviour("/hooks/down", ReceiverBehaviour::status(503, "down"));

    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");

    const auto failed = waitForAttempts(
        account, integration.id,
        [](const auto& seen) { return newestIs(seen, kScheduledAttempts, "failed"); },
        kDeliveryWait);
    ASSERT_TRUE(newestIs(failed, kScheduledAttempts, "failed")) << attemptsText(failed);
    EXPECT_EQ(jsonInt(failed.front(), "responseStatus"), 503);
    EXPECT_FALSE(jsonHas(failed.front(), "nextAttemptAt")) << toJsonText(failed.front());
    // Nothing more is scheduled: quiet for longer than the last step (800ms) and a poll.
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(receiver().count("/hooks/down"), kScheduledAttempts);

    receiver().setBehaviour("/hooks/down", ReceiverBehaviour::status(200));
    const ApiResponse retried = api().post(
        "/api/integrations/" + integration.id + "/deliveries/" + deliveryId + "/retry", "{}",
        account.apiKey);
    ASSERT_EQ(retried.status, 202) << retried.describe();
    EXPECT_EQ(retried.string("deliveryId"), deliveryId);

    ASSERT_TRUE(receiver().waitForRequests("/hooks/down", kScheduledAttempts + 1, kDeliveryWait));
    const ReceivedRequest again = receiver().requests("/hooks/down").back();
    EXPECT_EQ(again.header("X-SMB-Delivery"), deliveryId);
    EXPECT_EQ(again.header("X-SMB-Event-Id"), published.string("id"));
    const SignatureVerdict verdict = SignatureCheck::verify(
        again.header("X-SMB-Signature"), integration.signingSecret, again.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;
    // Seconds after the first attempt, the manual retry is signed afresh (t= moves on).
    const ReceivedRequest first = receiver().requests("/hooks/down").front();
    EXPECT_TRUE(signedFresh(first));
    EXPECT_TRUE(signedFresh(again));
    EXPECT_GE(between(first, again), 2500ms);
    SignatureHeader firstHeader;
    ASSERT_TRUE(SignatureCheck::parse(first.header("X-SMB-Signature"), firstHeader));
    EXPECT_GE(std::stoll(verdict.header.timestamp), std::stoll(firstHeader.timestamp) + 2)
        << "the retry reuses an old signature timestamp";

    const auto after = waitForAttempts(
        account, integration.id,
        [](const auto& seen) {
            return !seen.empty() && jsonString(seen.front(), "status") == "succeeded";
        },
        kDeliveryWait);
    ASSERT_FALSE(after.empty());
    EXPECT_EQ(jsonString(after.front(), "status"), "succeeded") << attemptsText(after);
    EXPECT_EQ(after.size(), kScheduledAttempts + 1) << attemptsText(after);
}

TEST_F(EventDeliveryTest, RetryOfADeliveryThatHasNotFailedIsAConflict) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/fine");

    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    const std::string deliveryId = jsonString(published.json, "deliveries.0.deliveryId");
    const auto attempts = waitForAttempts(
        account, integration.id, [](const auto& seen) { return newestIs(seen, 1, "succeeded"); },
        kDeliveryWait);
    ASSERT_TRUE(newestIs(attempts, 1, "succeeded")) << attemptsText(attempts);

    const std::string base = "/api/integrations/" + integration.id + "/deliveries/";
    EXPECT_TRUE(isApiError(api().post(base + deliveryId + "/retry", "{}", account.apiKey), 409,
                           "conflict"));
    EXPECT_TRUE(isApiError(api().post(base + "dlv_doesnotexist/retry", "{}", account.apiKey), 404,
                           "not_found"));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(receiver().count("/hooks/fine"), 1u);
}

TEST_P(DeliveryOverEveryWireTest, RetryAfterIsHonoured) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/busy");
    receiver().setBehaviour("/hooks/busy", ReceiverBehaviour::retryAfter(429, 1));

    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);

    ASSERT_TRUE(receiver().waitForRequests("/hooks/busy", 2, kDeliveryWait));
    const auto requests = receiver().requests("/hooks/busy");
    // The schedule alone would retry after 200ms; Retry-After asks for a second (then the
    // poll interval, and a generous allowance for a loaded machine).
    EXPECT_GE(between(requests[0], requests[1]), 950ms);
    EXPECT_LT(between(requests[0], requests[1]), 1000ms + 250ms + 1500ms);
    EXPECT_EQ(requests[1].header("X-SMB-Attempt"), "2");
    EXPECT_EQ(requests[1].header("X-SMB-Delivery"), requests[0].header("X-SMB-Delivery"));
    EXPECT_TRUE(signedFresh(requests[1]));

    const auto attempts = waitForAttempts(
        account, integration.id, [](const auto& seen) { return newestIs(seen, 2, "succeeded"); },
        kDeliveryWait);
    ASSERT_EQ(attempts.size(), 2u) << attemptsText(attempts);
    expectLoggedAnswer(attempts[1], 429, "receiver says 429");
    expectLoggedAnswer(attempts[0], 200, "ok");
}

TEST_F(EventDeliveryTest, RedirectIsNotFollowedAndCountsAsAFailure) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/moved");
    receiver().setBehaviour("/hooks/moved",
                            ReceiverBehaviour::redirect(receiver().url("/hooks/elsewhere")));

    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);

    const auto attempts = waitForAttempts(
        account, integration.id,
        [](const auto& seen) { return newestIs(seen, kScheduledAttempts, "failed"); },
        kDeliveryWait);
    ASSERT_TRUE(newestIs(attempts, kScheduledAttempts, "failed")) << attemptsText(attempts);
    for (const auto& attempt : attempts) {
        EXPECT_EQ(jsonInt(attempt, "responseStatus"), 302) << toJsonText(attempt);
        EXPECT_EQ(jsonString(attempt, "responseBody"), "ok") << toJsonText(attempt);
        EXPECT_EQ(jsonString(attempt, "error"), "redirects are not followed (HTTP 302)")
            << toJsonText(attempt);
    }
    EXPECT_EQ(receiver().count("/hooks/moved"), kScheduledAttempts);
    EXPECT_EQ(receiver().count("/hooks/elsewhere"), 0u) << "the redirect must not be followed";
}

TEST_F(EventDeliveryTest, IdempotencyKeyMakesARepeatedPublishReturnTheFirstEvent) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/once");
    const HttpHeaders key = {{"Idempotency-Key", "order-42-created"}};

    const ApiResponse first = publish(account, "lead.created", leadsData(3), key);
    ASSERT_EQ(first.status, 202) << first.describe();
    const ApiResponse second = publish(account, "lead.created", leadsData(3), key);
    ASSERT_EQ(second.status, 202) << second.describe();
    EXPECT_EQ(second.string("id"), first.string("id"));
    EXPECT_EQ(jsonString(second.json, "deliveries.0.deliveryId"),
              jsonString(first.json, "deliveries.0.deliveryId"));

    ASSERT_TRUE(receiver().waitForRequests("/hooks/once", 1, kDeliveryWait));
    std::this_thread::sleep_for(700ms);
    EXPECT_EQ(receiver().count("/hooks/once"), 1u);

    const ApiResponse other = publish(account, "lead.created", leadsData(3),
                                      {{"Idempotency-Key", "order-43-created"}});
    ASSERT_EQ(other.status, 202) << other.describe();
    EXPECT_NE(other.string("id"), first.string("id"));
}

// A key belongs to the account that sent it: another account using the same key gets an event
// of its own, delivered to its own integration, and a repeat by either returns its own first
// result.
TEST_F(EventDeliveryTest, IdempotencyKeysOfTwoAccountsNeverCross) {
    const TestAccount first = createAccount("pro", "First Co");
    const TestAccount second = createAccount("pro", "Second Co");
    const TestIntegration firstHook = createWebhook(first, "/hooks/first");
    const TestIntegration secondHook = createWebhook(second, "/hooks/second");
    const HttpHeaders key = {{"Idempotency-Key", "shared-key-7"}};

    const ApiResponse a = publish(first, "lead.created", leadsData(1), key);
    const ApiResponse b = publish(second, "lead.created", leadsData(2), key);
    ASSERT_EQ(a.status, 202) << a.describe();
    ASSERT_EQ(b.status, 202) << b.describe();
    EXPECT_NE(a.string("id"), b.string("id"));
    ASSERT_EQ(jsonSize(a.json, "deliveries"), 1u) << a.describe();
    ASSERT_EQ(jsonSize(b.json, "deliveries"), 1u) << b.describe();
    EXPECT_EQ(jsonString(a.json, "deliveries.0.integrationId"), firstHook.id);
    EXPECT_EQ(jsonString(b.json, "deliveries.0.integrationId"), secondHook.id);

    const ApiResponse aAgain = publish(first, "lead.created", leadsData(1), key);
    const ApiResponse bAgain = publish(second, "lead.created", leadsData(2), key);
    EXPECT_EQ(aAgain.string("id"), a.string("id")) << aAgain.describe();
    EXPECT_EQ(bAgain.string("id"), b.string("id")) << bAgain.describe();
    EXPECT_EQ(jsonString(bAgain.json, "deliveries.0.deliveryId"),
              jsonString(b.json, "deliveries.0.deliveryId"));

    ASSERT_TRUE(receiver().waitForRequests("/hooks/first", 1, kDeliveryWait));
    ASSERT_TRUE(receiver().waitForRequests("/hooks/second", 1, kDeliveryWait));
    std::this_thread::sleep_for(700ms);
    const auto toFirst = receiver().requests("/hooks/first");
    const auto toSecond = receiver().requests("/hooks/second");
    ASSERT_EQ(toFirst.size(), 1u);
    ASSERT_EQ(toSecond.size(), 1u);
    EXPECT_EQ(toFirst[0].header("X-SMB-Event-Id"), a.string("id"));
    EXPECT_EQ(toSecond[0].header("X-SMB-Event-Id"), b.string("id"));
    EXPECT_EQ(jsonString(parseJson(toFirst[0].body), "accountId"), first.id);
    EXPECT_EQ(jsonString(parseJson(toSecond[0].body), "accountId"), second.id);
    EXPECT_EQ(jsonInt(parseJson(toSecond[0].body), "data.count"), 2);
}

TEST_F(EventDeliveryTest, AdminTokenPublishesForTheNamedAccount) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/admin");

    const ApiResponse published = api().post(
        "/api/events",
        R"({"type":"credit.low_balance","data":{"remaining":10,"threshold":50},"accountId":)" +
            jsonQuote(account.id) + "}",
        hub().adminToken());
    // The integration is not subscribed to credit.low_balance: accepted, nothing to deliver.
    ASSERT_EQ(published.status, 202) << published.describe();
    EXPECT_EQ(jsonSize(published.json, "deliveries"), 0u) << published.describe();

    const ApiResponse leads = api().post(
        "/api/events",
        R"({"type":"lead.created","data":)" + leadsData(1) + R"(,"accountId":)" +
            jsonQuote(account.id) + "}",
        hub().adminToken());
    ASSERT_EQ(leads.status, 202) << leads.describe();
    ASSERT_TRUE(receiver().waitForRequests("/hooks/admin", 1, kDeliveryWait));
    EXPECT_EQ(jsonString(parseJson(receiver().requests("/hooks/admin").front().body), "accountId"),
              account.id);

    EXPECT_TRUE(isApiError(api().post("/api/events",
                                      R"({"type":"lead.created","data":)" + leadsData(1) + "}",
                                      hub().adminToken()),
                           400, "invalid_request", "accountId"));
}

// A receiver that holds the request past delivery.timeout_ms: the attempt is cut off and retried.
class SlowReceiverTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"delivery.timeout_ms", "500"}};
    }
};

TEST_F(SlowReceiverTest, HangingReceiverTimesOutAndIsRetried) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/slow");
    receiver().setBehaviour("/hooks/slow", ReceiverBehaviour::hangFirstFor(20s));

    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);

    ASSERT_TRUE(receiver().waitForRequests("/hooks/slow", 2, kDeliveryWait));
    const auto requests = receiver().requests("/hooks/slow");
    // timeout (500ms) + first retry (200ms), far from the 20 s hang.
    EXPECT_GE(between(requests[0], requests[1]), 600ms);
    EXPECT_LT(between(requests[0], requests[1]), 3s);
    EXPECT_EQ(requests[1].header("X-SMB-Attempt"), "2");

    const auto attempts = waitForAttempts(
        account, integration.id, [](const auto& seen) { return newestIs(seen, 2, "succeeded"); },
        kDeliveryWait);
    ASSERT_EQ(attempts.size(), 2u) << attemptsText(attempts);
    const auto& timedOut = attempts[1];
    EXPECT_EQ(jsonString(timedOut, "status"), "pending") << toJsonText(timedOut);
    EXPECT_FALSE(jsonString(timedOut, "error").empty()) << toJsonText(timedOut);
    EXPECT_LE(jsonInt(timedOut, "responseStatus", 0), 0) << "no response was received";
    EXPECT_GE(jsonInt(timedOut, "durationMs"), 400) << toJsonText(timedOut);
    EXPECT_LT(jsonInt(timedOut, "durationMs"), 2500) << toJsonText(timedOut);
}

}  // namespace
}  // namespace smbhub::test
