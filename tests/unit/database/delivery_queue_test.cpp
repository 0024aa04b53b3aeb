// The delivery queue: publishing (with Idempotency-Keys), claims and leases, recording outcomes,
// retries by hand, replays of a window, stats kept as outcomes are recorded, disabling an
// integration that keeps failing — the same on both backends.
#include "StoreTest.h"

#include <map>
#include <set>

#include "core/Clock.h"

namespace smbhub::store {
namespace {

class DeliveryQueueTest : public StoreTest {};

TEST_P(DeliveryQueueTest, IdempotencyKeyReturnsTheFirstResponse) {
    integrations().create(integration("int_a"));
    PublishBatch first = batch("evt_1", {"int_a"});
    first.idempotencyKey = "k1";
    first.requestHash = "hash-1";
    first.responseJson = "{\"id\":\"evt_1\"}";
    EXPECT_EQ(queue().publish(first), std::nullopt);
    PublishBatch second = batch("evt_2", {"int_a"});
    second.idempotencyKey = "k1";
    second.requestHash = "hash-2";
    second.responseJson = "{\"id\":\"evt_2\"}";
    EXPECT_EQ(queue().publish(second), (IdempotentReplay{"{\"id\":\"evt_1\"}", "hash-1"}));
    EXPECT_EQ(queue().stats("int_a", 1000).total, 1);
}

TEST_P(DeliveryQueueTest, AnExpiredIdempotencyKeyIsTakenAnew) {
    integrations().create(integration("int_a"));
    PublishBatch first = batch("evt_1", {"int_a"}, 1000);
    first.events.front().createdAt = 1000;
    first.idempotencyKey = "k1";
    first.responseJson = "{\"id\":\"evt_1\"}";
    EXPECT_EQ(queue().publish(first), std::nullopt);
    PublishBatch later = batch("evt_2", {"int_a"}, 5000);
    later.events.front().createdAt = 5000;
    later.idempotencyKey = "k1";
    later.responseJson = "{\"id\":\"evt_2\"}";
    later.idempotencyNotBefore = 2000;  // the first use (at 1000) has expired
    EXPECT_EQ(queue().publish(later), std::nullopt);
    PublishBatch again = batch("evt_3", {"int_a"}, 5001);
    again.idempotencyKey = "k1";
    again.idempotencyNotBefore = 2000;
    EXPECT_EQ(queue().publish(again), (IdempotentReplay{"{\"id\":\"evt_2\"}", ""}));
    EXPECT_EQ(queue().stats("int_a", 1000).total, 2);
}

TEST_P(DeliveryQueueTest, ClaimsOnlyDueUnleasedDeliveriesOfActiveIntegrations) {
    integrations().create(integration("int_a"));
    Integration paused = integration("int_p");
    paused.status = "paused";
    integrations().create(paused);
    queue().publish(batch("evt_1", {"int_a", "int_p"}, 1000));
    queue().publish(batch("evt_2", {"int_a"}, 5000));

    EXPECT_TRUE(queue().claimDue("w:1", 999, 2000, 10).empty()) << "nothing due yet";
    const auto claimed = queue().claimDue("w:2", 1000, 2000, 10);
    ASSERT_EQ(claimed.size(), 1u) << "paused integrations are held";
    EXPECT_EQ(claimed[0].delivery.integrationId, "int_a");
    EXPECT_EQ(claimed[0].event.dataJson, "{\"id\":\"evt_1\"}");
    EXPECT_TRUE(queue().claimDue("w:3", 1500, 3000, 10).empty()) << "leased";
    EXPECT_EQ(queue().claimDue("w:4", 2001, 4000, 10).size(), 1u) << "lease expired";
}

TEST_P(DeliveryQueueTest, ClaimsSkipExcludedIntegrations) {
    integrations().create(integration("int_a"));
    integrations().create(integration("int_b"));
    integrations().create(integration("int_c"));
    queue().publish(batch("evt_1", {"int_a", "int_b", "int_c"}));
    const auto claimed = queue().claimDue("w:1", 10, 1000, 10, {"int_a", "int_c"});
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].delivery.integrationId, "int_b");
    EXPECT_EQ(queue().claimDue("w:2", 10, 1000, 10, {"int_b"}).size(), 2u);
}

// One batch mixing every outcome over three integrations: each delivery ends exactly as its
// own outcome says (status, attempts, schedule step, next attempt, lease released) with its own
// attempt row — read back row by row, so outcomes swapped between deliveries would show.
TEST_P(DeliveryQueueTest, RecordsABatchOfOutcomesAtOnce) {
    for (const char* id : {"int_a", "int_b", "int_c"}) integrations().create(integration(id));
    for (int i = 0; i < 4; ++i) queue().publish(batch("evt_" + std::to_string(i), {"int_a", "int_b", "int_c"}));
    const auto claimed = queue().claimDue("w:1", 10, 1000, 100);
    ASSERT_EQ(claimed.size(), 12u);

    struct Expected {
        std::string status;
        int scheduleIndex = 0;
        std::int64_t nextAttemptAt = 0;
        std::string attemptId;
    };
    std::map<std::string, Expected> expected;
    std::set<std::string> retrying;
    std::vector<AttemptOutcome> outcomes;
    int k = 0;
    for (const auto& c : claimed) {
        const std::string& owner = c.delivery.integrationId;
        const std::string status = owner == "int_a" ? "succeeded"
                                   : owner == "int_b" ? "pending"
                                   : (k % 2 == 0 ? "failed" : "succeeded");
        AttemptOutcome o = outcome(c, "w:1", status, 20);
        o.requestsAccepted = status == "succeeded" ? 1 : 0;
        if (status == "pending") {
            o.scheduleIndex = 1;
            o.nextAttemptAt = 500 + k;  // every retry at a time of its own
            retrying.insert(c.delivery.id);
        }
        expected[c.delivery.id] = {status, o.scheduleIndex, o.nextAttemptAt, o.attempt.id};
        outcomes.push_back(o);
        ++k;
    }
    queue().record(outcomes, 5);

    const auto db = database();
    const auto deliveries = db->query(
        "SELECT id, status, attempts, schedule_index, next_attempt_at, lease_owner, lease_until"
        " FROM deliveries ORDER BY id");
    ASSERT_EQ(deliveries.size(), 12u);
    for (const auto& row : deliveries) {
        SCOPED_TRACE(row[0]);
        const Expected& e = expected.at(row[0]);
        EXPECT_EQ(row[1], e.status);
        EXPECT_EQ(row[2], "1") << "attempts";
        EXPECT_EQ(row[3], std::to_string(e.scheduleIndex)) << "schedule_index";
        EXPECT_EQ(row[4], std::to_string(e.nextAttemptAt)) << "next_attempt_at";
        EXPECT_EQ(row[5], "") << "lease_owner";
        EXPECT_EQ(row[6], "0") << "lease_until";
    }
    const auto logged = db->query("SELECT delivery_id, id, status, attempt, response_status FROM attempts");
    ASSERT_EQ(logged.size(), 12u);
    for (const auto& row : logged) {
        SCOPED_TRACE(row[0]);
        const Expected& e = expected.at(row[0]);
        EXPECT_EQ(row[1], e.attemptId);
        EXPECT_EQ(row[2], e.status);
        EXPECT_EQ(row[3], "1");
        EXPECT_EQ(row[4], e.status == "succeeded" ? "200" : "500");
    }
    EXPECT_EQ(integrations().find("acc_1", "int_a")->requestsSent, 4);
    EXPECT_EQ(integrations().find("acc_1", "int_b")->requestsSent, 0);
    EXPECT_EQ(integrations().find("acc_1", "int_c")->requestsSent, 2);
    EXPECT_EQ(integrations().find("acc_1", "int_c")->status, "active");

    // Only the retrying deliveries come back, each no earlier than its own time.
    EXPECT_TRUE(queue().claimDue("w:2", 499, 1000, 100).empty()) << "retries wait for their time";
    std::set<std::string> due;
    for (const auto& c : queue().claimDue("w:3", 1000, 2000, 100)) {
        due.insert(c.delivery.id);
        EXPECT_LE(expected.at(c.delivery.id).nextAttemptAt, 1000);
    }
    EXPECT_EQ(due, retrying);
}

// The recorder retries a batch whose commit it could not confirm (the connection died during
// COMMIT): outcomes already logged must not be counted twice.
TEST_P(DeliveryQueueTest, RecordingTheSameOutcomesAgainChangesNothing) {
    integrations().create(integration("int_a"));
    for (const char* id : {"evt_1", "evt_2", "evt_3"}) queue().publish(batch(id, {"int_a"}));
    const auto claimed = queue().claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 3u);
    AttemptOutcome ok = outcome(claimed[0], "w:1", "succeeded", 20);
    ok.requestsAccepted = 1;
    AttemptOutcome failed = outcome(claimed[1], "w:1", "failed", 20);
    queue().record({ok, failed}, 2);
    queue().record({ok, failed}, 2);
    EXPECT_EQ(queue().recentAttempts("int_a", 50).size(), 2u);
    EXPECT_EQ(integrations().find("acc_1", "int_a")->requestsSent, 1);
    EXPECT_EQ(integrations().find("acc_1", "int_a")->status, "active") << "one failure, counted once";

    // A batch mixing outcomes already logged with a new one: only the new one counts.
    AttemptOutcome third = outcome(claimed[2], "w:1", "succeeded", 30);
    third.requestsAccepted = 1;
    queue().record({ok, failed, third}, 2);
    EXPECT_EQ(queue().recentAttempts("int_a", 50).size(), 3u);
    EXPECT_EQ(integrations().find("acc_1", "int_a")->requestsSent, 2);
    const DeliveryStats stats = queue().stats("int_a", 1000);
    EXPECT_EQ(stats.succeeded, 2);
    EXPECT_EQ(stats.failed, 1);
}

TEST_P(DeliveryQueueTest, RecordsAttemptsAndMovesTheDeliveryOn) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    auto claimed = queue().claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    AttemptOutcome retry = outcome(claimed[0], "w:1", "pending", 20);
    retry.scheduleIndex = 1;
    retry.nextAttemptAt = 50;
    retry.attempt.nextAttemptAt = 50;
    queue().record({retry}, 5);
    EXPECT_TRUE(queue().claimDue("w:2", 49, 1000, 10).empty());
    claimed = queue().claimDue("w:3", 50, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].delivery.attempts, 1);
    EXPECT_EQ(claimed[0].delivery.scheduleIndex, 1);
    queue().record({outcome(claimed[0], "w:3", "succeeded", 60)}, 5);

    const auto attempts = queue().recentAttempts("int_a", 50);
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].status, AttemptStatus::Succeeded) << "newest first";
    EXPECT_EQ(attempts[0].attempt, 2);
    EXPECT_EQ(attempts[1].status, AttemptStatus::Pending);
    EXPECT_EQ(attempts[1].nextAttemptAt, 50);
    EXPECT_EQ(queue().stats("int_a", 1000).succeeded, 1);
    EXPECT_EQ(integrations().find("acc_1", "int_a")->lastDeliveryAt, 60);
}

TEST_P(DeliveryQueueTest, ADeliveryIsLookedUpWithEveryAttempt) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    EXPECT_FALSE(queue().history("dlv_nope"));
    auto claimed = queue().claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    const std::string id = claimed[0].delivery.id;
    queue().record({outcome(claimed[0], "w:1", "pending", 20)}, 5);
    claimed = queue().claimDue("w:2", 5000, 6000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    queue().record({outcome(claimed[0], "w:2", "succeeded", 5010)}, 5);

    const auto history = queue().history(id);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->delivery.integrationId, "int_a");
    EXPECT_EQ(history->delivery.accountId, "acc_1");
    EXPECT_EQ(history->delivery.eventId, "evt_1");
    EXPECT_EQ(history->delivery.status, DeliveryStatus::Succeeded);
    EXPECT_EQ(history->eventType, "lead.created");
    ASSERT_EQ(history->attempts.size(), 2u);
    EXPECT_EQ(history->attempts[0].status, AttemptStatus::Pending);
    EXPECT_EQ(history->attempts[1].status, AttemptStatus::Succeeded);
}

TEST_P(DeliveryQueueTest, AStaleClaimCannotOverwriteANewerOne) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    const auto first = queue().claimDue("w:old", 10, 20, 10);
    const auto second = queue().claimDue("w:new", 30, 1000, 10);  // the old lease expired
    ASSERT_EQ(second.size(), 1u);
    queue().record({outcome(first[0], "w:old", "failed", 40)}, 5);
    EXPECT_EQ(queue().stats("int_a", 1000).pending, 1) << "the old holder's verdict is only logged";
    queue().record({outcome(second[0], "w:new", "succeeded", 50)}, 5);
    EXPECT_EQ(queue().stats("int_a", 1000).succeeded, 1);
}

TEST_P(DeliveryQueueTest, ManualRetryOnlyForFailedDeliveries) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    const std::string id = "dlv_evt_1_int_a";
    EXPECT_EQ(queue().retry("int_a", id, 5, 8), RetryResult::NotFailed);
    EXPECT_EQ(queue().retry("int_b", id, 5, 8), RetryResult::NotFound);
    const auto claimed = queue().claimDue("w:1", 10, 1000, 10);
    queue().record({outcome(claimed[0], "w:1", "failed", 20)}, 5);
    EXPECT_EQ(queue().retry("int_a", id, 30, 8), RetryResult::Scheduled);
    const auto again = queue().claimDue("w:2", 30, 1000, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].delivery.scheduleIndex, 8);
}

TEST_P(DeliveryQueueTest, DisablesAnIntegrationAfterConsecutiveExhaustedDeliveries) {
    integrations().create(integration("int_a"));
    for (int i = 0; i < 3; ++i) {
        queue().publish(batch("evt_" + std::to_string(i), {"int_a"}));
        const auto claimed = queue().claimDue("w:" + std::to_string(i), 10, 1000, 10);
        ASSERT_EQ(claimed.size(), 1u);
        const auto disabled = queue().record({outcome(claimed[0], "w:" + std::to_string(i), "failed", 20 + i)}, 3);
        EXPECT_EQ(integrations().find("acc_1", "int_a")->status, i < 2 ? "active" : "disabled");
        // The batch that disabled it says so, with the reason (the engine logs it).
        ASSERT_EQ(disabled.size(), i < 2 ? 0u : 1u);
        if (i == 2) {
            EXPECT_EQ(disabled[0].integrationId, "int_a");
            EXPECT_EQ(disabled[0].reason, integrations().find("acc_1", "int_a")->statusReason);
        }
    }
    EXPECT_NE(integrations().find("acc_1", "int_a")->statusReason.find("3 consecutive"), std::string::npos);
}

TEST_P(DeliveryQueueTest, OnlyReactivationResetsTheFailureStreak) {
    integrations().create(integration("int_a"));
    auto failOnce = [&](int i) {
        queue().publish(batch("evt_" + std::to_string(i), {"int_a"}));
        const auto claimed = queue().claimDue("w:" + std::to_string(i), 10, 1000, 10);
        ASSERT_EQ(claimed.size(), 1u);
        queue().record({outcome(claimed[0], "w:" + std::to_string(i), "failed", 20 + i)}, 2);
    };
    failOnce(0);
    Integration renamed = *integrations().find("acc_1", "int_a");
    renamed.displayName = "Renamed";
    ASSERT_TRUE(integrations().update(renamed));
    failOnce(1);
    Integration disabled = *integrations().find("acc_1", "int_a");
    EXPECT_EQ(disabled.status, "disabled") << "a rename must not reset the streak";
    disabled.status = "active";
    disabled.statusReason.clear();
    ASSERT_TRUE(integrations().update(disabled));
    failOnce(2);
    EXPECT_EQ(integrations().find("acc_1", "int_a")->status, "active") << "re-activation starts afresh";
}

constexpr std::int64_t kHour = 3600 * 1000;

TEST_P(DeliveryQueueTest, StatsComeFromCountersKeptAsOutcomesAreRecorded) {
    integrations().create(integration("int_a"));
    integrations().create(integration("int_b"));
    // Half past this hour (hourly stats older than two days by the clock are pruned as outcomes
    // are recorded).
    const std::int64_t now = core::nowMillis() / kHour * kHour + 30 * 60 * 1000;
    const std::int64_t old = now - 30 * kHour;  // outside the last 24 hours
    const auto deliver = [&](const std::string& event, const std::string& integrationId, const std::string& status,
                             std::int64_t at, std::int64_t durationMs) {
        PublishBatch b = batch(event, {integrationId}, at);
        b.deliveries[0].createdAt = at;
        queue().publish(b);
        const auto claimed = queue().claimDue("w:" + event, at, at + 1000, 10);
        if (claimed.size() != 1u) throw std::runtime_error("nothing claimed for " + event);
        AttemptOutcome o = outcome(claimed[0], "w:" + event, status, at);
        o.attempt.durationMs = durationMs;
        if (status == "failed") o.attempt.error = "connection refused";
        if (status == "pending") o.nextAttemptAt = at + 10 * kHour;  // not claimed again here
        queue().record({o}, 100);
    };
    deliver("evt_old", "int_a", "succeeded", old, 5);
    deliver("evt_1", "int_a", "succeeded", now - 2 * kHour, 10);
    deliver("evt_2", "int_a", "succeeded", now - 1000, 30);
    deliver("evt_3", "int_a", "failed", now - 500, 20);
    deliver("evt_4", "int_a", "pending", now - 100, 40);  // to be retried
    deliver("evt_b", "int_b", "failed", now, 99);         // another integration's
    PublishBatch waiting = batch("evt_5", {"int_a"}, now + kHour);
    waiting.deliveries[0].createdAt = now - 50;
    queue().publish(waiting);

    const DeliveryStats stats = queue().stats("int_a", now);
    EXPECT_EQ(stats.succeeded, 3);
    EXPECT_EQ(stats.failed, 1);
    EXPECT_EQ(stats.pending, 2);
    EXPECT_EQ(stats.total, 6);
    EXPECT_EQ(stats.last24h.succeeded, 2) << "the one of 30 hours ago is not in the last 24";
    EXPECT_EQ(stats.last24h.failed, 1);
    EXPECT_EQ(stats.last24h.pending, 2);
    EXPECT_DOUBLE_EQ(*stats.successRate(), 2.0 / 3.0);
    // Attempts of the last 24 hours: 10, 20, 30, 40 ms.
    EXPECT_EQ(stats.p50Ms, 20);
    EXPECT_EQ(stats.p95Ms, 40);
    EXPECT_EQ(stats.lastSuccessAt, now - 1000);
    ASSERT_TRUE(stats.lastError);
    EXPECT_EQ(stats.lastError->at, now - 100) << "the latest attempt that did not succeed";
    EXPECT_EQ(stats.lastError->message, "HTTP 500");
    EXPECT_EQ(stats.lastError->responseStatus, 500);

    // A day later the window has moved on; the counts by state stay.
    const DeliveryStats later = queue().stats("int_a", now + 25 * kHour);
    EXPECT_EQ(later.last24h.succeeded, 0);
    EXPECT_EQ(later.last24h.failed, 0);
    EXPECT_EQ(later.last24h.pending, 0);
    EXPECT_FALSE(later.successRate());
    EXPECT_FALSE(later.p50Ms);
    EXPECT_EQ(later.succeeded, 3);

    const DeliveryStats none = queue().stats("int_missing", now);
    EXPECT_EQ(none.total, 0);
    EXPECT_FALSE(none.lastError);
}

TEST_P(DeliveryQueueTest, AnOutcomeRecordedTwiceOrByAStaleHolderIsCountedOnce) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    const auto stale = queue().claimDue("w:old", 10, 20, 10);
    const auto fresh = queue().claimDue("w:new", 30, 1000, 10);  // the old lease expired
    queue().record({outcome(stale[0], "w:old", "succeeded", 40)}, 5);
    EXPECT_EQ(queue().stats("int_a", 1000).succeeded, 0) << "the stale holder's success is only logged";
    const AttemptOutcome done = outcome(fresh[0], "w:new", "succeeded", 50);
    queue().record({done}, 5);
    queue().record({done}, 5);
    const DeliveryStats stats = queue().stats("int_a", 1000);
    EXPECT_EQ(stats.succeeded, 1);
    EXPECT_EQ(stats.last24h.succeeded, 1);
}

TEST_P(DeliveryQueueTest, ReplayGivesTheFailedDeliveriesOfAWindowOneMoreAttempt) {
    integrations().create(integration("int_a"));
    integrations().create(integration("int_b"));
    for (int i = 0; i < 5; ++i) {
        PublishBatch b = batch("evt_" + std::to_string(i), {"int_a", "int_b"});
        for (auto& d : b.deliveries) d.createdAt = 1000 + i * 100;  // 1000, 1100, … 1400
        queue().publish(b);
    }
    auto claimed = queue().claimDue("w:1", 10, 5000, 100);
    ASSERT_EQ(claimed.size(), 10u);
    std::vector<AttemptOutcome> outcomes;
    for (const auto& c : claimed) {
        // evt_3 of int_a succeeds; everything else fails for good.
        const bool ok = c.delivery.integrationId == "int_a" && c.event.id == "evt_3";
        outcomes.push_back(outcome(c, "w:1", ok ? "succeeded" : "failed", 2000));
    }
    queue().record(outcomes, 100);
    EXPECT_EQ(queue().stats("int_a", 3000).failed, 4);

    // [1100, 1400): evt_1 and evt_2 (evt_3 succeeded); nothing of int_b.
    const ReplayResult replayed = queue().replayFailed("int_a", 1100, 1400, 3000, 7, 10000);
    EXPECT_FALSE(replayed.tooMany);
    EXPECT_EQ(replayed.replayed, 2);
    EXPECT_EQ(queue().stats("int_a", 3000).failed, 2);
    EXPECT_EQ(queue().stats("int_a", 3000).pending, 2);
    EXPECT_EQ(queue().stats("int_b", 3000).failed, 5);
    const auto again = queue().claimDue("w:2", 3000, 9000, 100);
    ASSERT_EQ(again.size(), 2u);
    std::set<std::string> ids;
    for (const auto& c : again) {
        ids.insert(c.delivery.id);
        EXPECT_EQ(c.delivery.scheduleIndex, 7) << "one attempt, as a manual retry";
        EXPECT_EQ(c.delivery.attempts, 1) << "attempts count on";
    }
    EXPECT_EQ(ids, (std::set<std::string>{"dlv_evt_1_int_a", "dlv_evt_2_int_a"}));

    // Over the bound nothing changes.
    const ReplayResult refused = queue().replayFailed("int_b", 0, 5000, 3000, 7, 4);
    EXPECT_TRUE(refused.tooMany);
    EXPECT_EQ(refused.replayed, 0);
    EXPECT_EQ(queue().stats("int_b", 3000).failed, 5);
    EXPECT_EQ(queue().replayFailed("int_b", 0, 5000, 3000, 7, 5).replayed, 5) << "exactly the bound is taken";
}

SMBHUB_STORE_BACKENDS(DeliveryQueueTest);

}  // namespace
}  // namespace smbhub::store
