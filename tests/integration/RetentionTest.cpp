// Retention (SPEC §14) with windows of seconds, on SQLite and PostgreSQL: events, deliveries and
// attempts older than their windows go in the background; an event with a pending delivery stays
// (and so does that delivery, without its old attempts); an idempotency key expires, so the same
// key then publishes a new event; the deletions are counted in smbhub_retention_deleted_total.
#include "HubTest.h"
#include "support/Eventually.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class RetentionTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"retention.events", "\"3s\""},
                {"retention.attempts", "\"3s\""},
                {"retention.idempotency_keys", "\"2s\""},
                {"retention.interval", "\"1s\""},
                // A failed attempt is tried again in an hour: its delivery stays pending.
                {"delivery.retry_schedule", "[\"1h\"]"}};
    }

    std::string count(const std::string& sql) { return hub().database()->query(sql)[0][0]; }

    double metric(const std::string& series) {
        const ApiResponse r = api().get("/metrics");
        std::istringstream in(r.body);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
        }
        return -1;
    }
};

TEST_F(RetentionTest, OlderRowsGoAndNothingPendingGoes) {
    const TestAccount account = createAccount();
    const TestIntegration done = createWebhook(account, "/hooks/retention-done", {"lead.created"});
    const TestIntegration held = createWebhook(account, "/hooks/retention-held", {"lead.updated"});
    receiver().setBehaviour("/hooks/retention-held", ReceiverBehaviour::status(500));

    const ApiResponse delivered = publish(account, "lead.created", leadsData(1));
    const ApiResponse pending = publish(account, "lead.updated", leadsData(1));
    ASSERT_EQ(delivered.status, 202) << delivered.describe();
    ASSERT_EQ(pending.status, 202) << pending.describe();
    const std::string deliveredEvent = delivered.string("id");
    const std::string pendingEvent = pending.string("id");
    const std::string deliveredId = jsonString(delivered.json, "deliveries.0.deliveryId");
    const std::string pendingId = jsonString(pending.json, "deliveries.0.deliveryId");
    ASSERT_FALSE(waitForAttempts(account, done.id, [](const auto& a) { return !a.empty(); }, 15s).empty());
    const auto heldAttempts = waitForAttempts(account, held.id, [](const auto& a) { return !a.empty(); }, 15s);
    ASSERT_EQ(heldAttempts.size(), 1u);
    EXPECT_EQ(jsonString(heldAttempts[0], "status"), "pending") << "retried in an hour";

    // Three seconds later, within a few runs: the delivered event is gone with its delivery and
    // attempt; the pending one stays, and so does its delivery, without the old attempt.
    EXPECT_TRUE(eventually(
        [&] { return count("SELECT COUNT(*) FROM events WHERE id = '" + deliveredEvent + "'") == "0"; }, 20s));
    EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE id = '" + deliveredId + "'"), "0");
    EXPECT_TRUE(eventually([&] { return count("SELECT COUNT(*) FROM attempts") == "0"; }, 20s));
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE id = '" + pendingEvent + "'"), "1");
    EXPECT_EQ(count("SELECT status FROM deliveries WHERE id = '" + pendingId + "'"), "pending");

    // What the API shows: the deleted delivery is unknown; the kept one has no attempts left but
    // its state and count; the delivery logs are empty, not broken.
    EXPECT_TRUE(isApiError(api().get("/api/admin/deliveries/" + deliveredId, hub().adminToken()), 404, "not_found"));
    const ApiResponse kept = api().get("/api/admin/deliveries/" + pendingId, hub().adminToken());
    ASSERT_EQ(kept.status, 200) << kept.describe();
    EXPECT_EQ(kept.string("status"), "pending");
    EXPECT_EQ(jsonSize(kept.json, "attempts"), 0u) << kept.body;
    EXPECT_TRUE(attempts(account, done.id).empty());
    EXPECT_EQ(api().get("/api/integrations/" + held.id + "/deliveries", account.apiKey).status, 200);

    EXPECT_GE(metric("smbhub_retention_deleted_total{table=\"events\"}"), 1);
    EXPECT_GE(metric("smbhub_retention_deleted_total{table=\"deliveries\"}"), 1);
    EXPECT_GE(metric("smbhub_retention_deleted_total{table=\"attempts\"}"), 2);

    // Still pending after several more runs.
    std::this_thread::sleep_for(2500ms);
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE id = '" + pendingEvent + "'"), "1");
    EXPECT_EQ(count("SELECT status FROM deliveries WHERE id = '" + pendingId + "'"), "pending");
}

TEST_F(RetentionTest, AnIdempotencyKeyExpiresAndTheSameKeyThenPublishesANewEvent) {
    const TestAccount account = createAccount();
    const HttpHeaders key = {{"Idempotency-Key", "retention-key-1"}};
    const ApiResponse first = publish(account, "lead.created", leadsData(1), key);
    ASSERT_EQ(first.status, 202) << first.describe();
    const ApiResponse repeat = publish(account, "lead.created", leadsData(1), key);
    EXPECT_EQ(repeat.string("id"), first.string("id")) << "within the window: the first result";

    // The key's row is deleted by retention (not only ignored when it is looked up) …
    EXPECT_TRUE(eventually([&] { return count("SELECT COUNT(*) FROM idempotency_keys") == "0"; }, 20s));
    EXPECT_GE(metric("smbhub_retention_deleted_total{table=\"idempotency_keys\"}"), 1);
    // … and the same key now publishes anew.
    const ApiResponse later = publish(account, "lead.created", leadsData(1), key);
    ASSERT_EQ(later.status, 202) << later.describe();
    EXPECT_NE(later.string("id"), first.string("id"));
}

}  // namespace
}  // namespace smbhub::test
