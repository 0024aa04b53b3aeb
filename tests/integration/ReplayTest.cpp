// Replaying a window of failed deliveries after an outage (SPEC §15): POST …/replay
// {"since", "until"?} gives every delivery of the integration that failed for good and was
// created in [since, until) one more attempt, as the manual retry does — the same delivery, so
// the receiver sees the X-SMB-Delivery / webhook-id it may already have de-duplicated on. At
// most 10,000 per call (a larger window is refused whole, asking for a narrower one); another
// account's integration is 404.
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "HubTest.h"
#include "support/Eventually.h"
#include "support/TestDatabase.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 20s;

std::int64_t wallMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-12-01T09:00:00.123Z"
std::string iso(std::int64_t unixMillis) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(unixMillis * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

class ReplayTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"api.rate_limit_burst", "100000"}, {"api.rate_limit_per_second", "100000"}};
    }

    ApiResponse replay(const TestAccount& account, const std::string& id, const std::string& body) {
        return api().post("/api/integrations/" + id + "/replay", body, account.apiKey);
    }

    // Publishes `count` lead.created events; their delivery ids.
    std::vector<std::string> publishLeads(const TestAccount& account, int count) {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i) {
            const ApiResponse published = publish(account, "lead.created", leadsData(1));
            if (published.status != 202) throw std::runtime_error("publish: " + published.describe());
            ids.push_back(jsonString(published.json, "deliveries.0.deliveryId"));
        }
        return ids;
    }

    long long stat(const TestAccount& account, const std::string& id, const std::string& path) {
        return api().get("/api/integrations/" + id, account.apiKey).integer("stats." + path);
    }

    // The deliveries to `path` that reached the receiver, by X-SMB-Delivery id.
    std::map<std::string, std::vector<ReceivedRequest>> byDelivery(const std::string& path) {
        std::map<std::string, std::vector<ReceivedRequest>> out;
        for (const auto& r : receiver().requests(path)) out[r.header("X-SMB-Delivery")].push_back(r);
        return out;
    }
};

TEST_F(ReplayTest, FailedDeliveriesOfTheWindowGetOneMoreAttemptUnderTheirOwnIds) {
    const TestAccount account = createAccount();
    const std::string path = "/hooks/outage";
    receiver().setBehaviour(path, ReceiverBehaviour::status(503));
    const TestIntegration integration = createWebhook(account, path);

    // An outage: three deliveries fail every attempt (four, 200/400/800 ms apart).
    const std::int64_t since = wallMillis() - 1;
    const std::vector<std::string> outage = publishLeads(account, 3);
    ASSERT_TRUE(eventually([&] { return stat(account, integration.id, "failed") == 3; }, kDeliveryWait))
        << attemptsText(attempts(account, integration.id));
    std::this_thread::sleep_for(20ms);
    const std::int64_t until = wallMillis();
    std::this_thread::sleep_for(20ms);
    // A later failure, outside the window.
    const std::vector<std::string> later = publishLeads(account, 1);
    ASSERT_TRUE(eventually([&] { return stat(account, integration.id, "failed") == 4; }, kDeliveryWait));
    EXPECT_EQ(receiver().count(path), 16u);

    // The receiver is back; the outage's window is replayed.
    receiver().setBehaviour(path, ReceiverBehaviour());
    const ApiResponse replayed =
        replay(account, integration.id, "{\"since\":" + jsonQuote(iso(since)) + ",\"until\":" + jsonQuote(iso(until)) + "}");
    ASSERT_EQ(replayed.status, 202) << replayed.describe();
    EXPECT_EQ(replayed.integer("replayed"), 3);
    ASSERT_TRUE(receiver().waitForRequests(path, 19, kDeliveryWait));
    std::this_thread::sleep_for(500ms);  // nothing else follows
    auto arrivals = byDelivery(path);
    EXPECT_EQ(receiver().count(path), 19u);
    for (const auto& id : outage) {
        ASSERT_EQ(arrivals[id].size(), 5u) << id;
        const ReceivedRequest& again = arrivals[id].back();
        EXPECT_EQ(again.header("webhook-id"), id);
        EXPECT_EQ(again.header("X-SMB-Attempt"), "5") << "a replay counts on from the attempts before";
        EXPECT_EQ(again.body, arrivals[id].front().body) << "the same delivery, the same bytes";
        EXPECT_EQ(again.answeredStatus, 200);
    }
    EXPECT_EQ(arrivals[later[0]].size(), 4u) << "a failure after `until` is not replayed";
    ASSERT_TRUE(eventually([&] { return stat(account, integration.id, "succeeded") == 3; }, kDeliveryWait));
    EXPECT_EQ(stat(account, integration.id, "failed"), 1);

    // Without `until`: up to now. What succeeded since is not sent again.
    const ApiResponse rest = replay(account, integration.id, "{\"since\":" + jsonQuote(iso(since)) + "}");
    ASSERT_EQ(rest.status, 202) << rest.describe();
    EXPECT_EQ(rest.integer("replayed"), 1);
    ASSERT_TRUE(receiver().waitForRequests(path, 20, kDeliveryWait));
    arrivals = byDelivery(path);
    EXPECT_EQ(arrivals[later[0]].size(), 5u);
    ASSERT_TRUE(eventually([&] { return stat(account, integration.id, "failed") == 0; }, kDeliveryWait));
    const ApiResponse nothing = replay(account, integration.id, "{\"since\":" + jsonQuote(iso(since)) + "}");
    EXPECT_EQ(nothing.integer("replayed"), 0) << nothing.describe();
}

TEST_F(ReplayTest, BadWindowsAndOtherAccountsAreRefused) {
    const TestAccount account = createAccount();
    const TestAccount other = createAccount("pro", "Other Co");
    const TestIntegration integration = createWebhook(account, "/hooks/refusals");
    const std::string id = integration.id;
    EXPECT_TRUE(isApiError(replay(account, id, "{}"), 400, "invalid_request", "since"));
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":"yesterday"})"), 400, "invalid_request", "since"));
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":"2026-12-01T09:00:00"})"), 400, "invalid_request", "since"))
        << "a time without a zone is ambiguous";
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":"2026-02-30T09:00:00Z"})"), 400, "invalid_request", "since"));
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":1764579600})"), 400, "invalid_request", "since"));
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":"2026-12-01T09:00:00Z","until":"2026-12-01T08:00:00Z"})"),
                           400, "invalid_request", "until"));
    EXPECT_TRUE(isApiError(replay(account, id, R"({"since":"2026-12-01T09:00:00Z","status":"failed"})"), 400,
                           "invalid_request", "status"));
    const std::string window = R"({"since":"2026-12-01T09:00:00Z"})";
    EXPECT_TRUE(isApiError(replay(other, id, window), 404, "not_found"));
    EXPECT_TRUE(isApiError(replay(account, "int_missing", window), 404, "not_found"));
    const ApiResponse offset = replay(account, id, R"({"since":"2026-12-01T10:00:00+01:00"})");
    EXPECT_EQ(offset.status, 202) << offset.describe();
    EXPECT_EQ(offset.integer("replayed"), 0);
}

// 10,001 failed deliveries in a window (written straight into the database: the API has no
// faster way to make them) are refused whole; a window of 10,000 is taken. The integration is
// paused, so the replayed deliveries wait instead of flooding the receiver.
TEST_F(ReplayTest, AWindowOverTenThousandIsRefusedWholeAndANarrowerOneTaken) {
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/bulk");
    ASSERT_EQ(api().patch("/api/integrations/" + integration.id, R"({"status":"paused"})", account.apiKey).status, 200);
    const std::int64_t t0 = wallMillis() - 3'600'000;
    auto db = hub().database();
    db->execute("INSERT INTO events (id, account_id, type, created_at, test, data) VALUES ('evt_bulk', " +
                TestDatabase::quote(account.id) + ", 'lead.created', " + std::to_string(t0) + ", 0, '{}')");
    db->execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)"
                " INSERT INTO deliveries (id, event_id, integration_id, account_id, status, attempts, schedule_index,"
                " parts_done, next_attempt_at, lease_owner, lease_until, created_at, updated_at)"
                " SELECT 'dlv_bulk_' || i, 'evt_bulk', " + TestDatabase::quote(integration.id) + ", " +
                TestDatabase::quote(account.id) + ", 'failed', 4, 3, 0, 0, '', 0, " + std::to_string(t0) +
                " + i, " + std::to_string(t0) + " + i FROM n");
    const auto failedCount = [&] {
        return db->query("SELECT COUNT(*) FROM deliveries WHERE status = 'failed' AND integration_id = " +
                         TestDatabase::quote(integration.id))[0][0];
    };
    ASSERT_EQ(failedCount(), "10001");

    const ApiResponse tooMany = replay(account, integration.id,
                                       "{\"since\":" + jsonQuote(iso(t0)) + ",\"until\":" + jsonQuote(iso(t0 + 10001)) + "}");
    EXPECT_TRUE(isApiError(tooMany, 400, "invalid_request"));
    EXPECT_NE(tooMany.errorMessage().find("narrower"), std::string::npos) << tooMany.describe();
    EXPECT_EQ(failedCount(), "10001") << "a refused replay changes nothing";

    const ApiResponse taken = replay(account, integration.id,
                                     "{\"since\":" + jsonQuote(iso(t0)) + ",\"until\":" + jsonQuote(iso(t0 + 10000)) + "}");
    ASSERT_EQ(taken.status, 202) << taken.describe();
    EXPECT_EQ(taken.integer("replayed"), 10000);
    EXPECT_EQ(failedCount(), "1");
    EXPECT_EQ(db->query("SELECT id FROM deliveries WHERE status = 'failed'")[0][0], "dlv_bulk_10000");
    EXPECT_EQ(receiver().count("/hooks/bulk"), 0u) << "a paused integration's replayed deliveries wait";
}

}  // namespace
}  // namespace smbhub::test
