// The store against a real SQLite file and a real PostgreSQL database (a scratch database on the
// run's test server): what the API and the delivery engine rely on, the same on both.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include <map>
#include <set>
#include <thread>

#include "store/SqlStore.h"
#include "support/Postgres.h"
#include "support/SqliteFile.h"

namespace smbhub::store {
namespace {

using test::Backend;

class SqlStoreTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        dir_ = boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("store-%%%%%%%%");
        boost::filesystem::create_directories(dir_);
        if (GetParam() == Backend::Postgres) postgres_ = std::make_unique<test::ScratchDatabase>();
        store_ = open();
        store_->createAccount({"acc_1", "Acme", "pro", "active", 1}, key("key_1", "acc_1", "hash1", 1));
        store_->createAccount({"acc_2", "Other", "pro", "active", 1}, key("key_2", "acc_2", "hash2", 1));
    }
    void TearDown() override {
        store_.reset();
        postgres_.reset();
        boost::filesystem::remove_all(dir_);
    }

    // Options for another connection (or pool) to the test's database: a second process.
    SqlStoreOptions options() const {
        SqlStoreOptions options;
        if (postgres_) {
            options.dialect = SqlDialect::Postgres;
            options.connector = "postgresql";
            options.connectionString = postgres_->server().conninfo(postgres_->name());
            options.poolSize = 4;
        } else {
            options.dialect = SqlDialect::Sqlite;
            options.connector = "sqlite";
            options.connectionString = (dir_ / "hub.db").string();
        }
        return options;
    }
    std::unique_ptr<SqlStore> open() const { return std::make_unique<SqlStore>(options()); }
    // Plain SQL on the test's database, beside the store (as another process would).
    std::unique_ptr<test::TestDatabase> database() const {
        if (postgres_) return std::make_unique<test::PostgresDatabase>(postgres_->server(), postgres_->name());
        return std::make_unique<test::SqliteFile>((dir_ / "hub.db").string());
    }

    static NewApiKey key(const std::string& id, const std::string& account, const std::string& hash,
                         std::int64_t createdAt) {
        NewApiKey k;
        k.key.id = id;
        k.key.accountId = account;
        k.key.prefix = "smbk_" + id.substr(4);
        k.key.createdAt = createdAt;
        k.hash = hash;
        return k;
    }

    Integration integration(const std::string& id, const std::string& account = "acc_1") {
        Integration i;
        i.id = id;
        i.accountId = account;
        i.provider = "webhook";
        i.kind = "webhook";
        i.displayName = "Hook " + id;
        i.targetUrl = "https://example.com/" + id;
        i.events = {"lead.created", "export.completed"};
        i.signingSecretSealed = "sealed";
        i.createdAt = i.updatedAt = 10;
        return i;
    }

    // One event with one delivery per integration id, due at `due`.
    PublishBatch batch(const std::string& eventId, const std::vector<std::string>& integrations,
                       std::int64_t due = 0) {
        PublishBatch b;
        b.events.push_back({eventId, "acc_1", "lead.created", 100, false, "{\"id\":\"" + eventId + "\"}"});
        for (const auto& i : integrations) {
            Delivery d;
            d.id = "dlv_" + eventId + "_" + i;
            d.eventId = eventId;
            d.integrationId = i;
            d.accountId = "acc_1";
            d.nextAttemptAt = due;
            d.createdAt = 100;
            b.deliveries.push_back(d);
        }
        return b;
    }

    AttemptOutcome outcome(const ClaimedDelivery& c, const std::string& owner, const std::string& status,
                           std::int64_t at) {
        AttemptOutcome o;
        o.leaseOwner = owner;
        o.deliveryStatus = status;
        o.deliveryExhausted = status == "failed";
        o.attempt.id = "att_" + c.delivery.id + std::to_string(at);
        o.attempt.deliveryId = c.delivery.id;
        o.attempt.integrationId = c.delivery.integrationId;
        o.attempt.eventId = c.event.id;
        o.attempt.eventType = c.event.type;
        o.attempt.attempt = c.delivery.attempts + 1;
        o.attempt.status = status;
        o.attempt.responseStatus = status == "succeeded" ? 200 : 500;
        o.attempt.createdAt = at;
        return o;
    }

    boost::filesystem::path dir_;
    std::unique_ptr<test::ScratchDatabase> postgres_;
    std::unique_ptr<SqlStore> store_;
};

TEST_P(SqlStoreTest, MigratesToTheLatestSchemaOnce) {
    EXPECT_EQ(store_->schemaVersion(), latestSchemaVersion());
    store_.reset();
    store_ = open();
    EXPECT_EQ(store_->schemaVersion(), latestSchemaVersion());
    EXPECT_TRUE(store_->findAccount("acc_1"));
}

// A database migrated by a newer smb-hub is refused, not misread (rolling back needs a backup).
TEST_P(SqlStoreTest, RefusesADatabaseFromANewerVersion) {
    store_->createAccount({"acc_3", "Third", "pro", "active", 1}, key("key_3", "acc_3", "hash3", 1));  // something to keep
    store_.reset();
    database()->execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)");
    try {
        open();
        FAIL() << "a database at schema version 99 was opened";
    } catch (const StoreUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this smb-hub knows"), std::string::npos)
            << e.what();
    }
}

TEST_P(SqlStoreTest, FindsAccountsByKeyHashAndUpdatesThem) {
    EXPECT_EQ(store_->findAccountByApiKeyHash("hash1")->id, "acc_1");
    EXPECT_FALSE(store_->findAccountByApiKeyHash("nope"));
    EXPECT_TRUE(store_->updateAccount("acc_1", std::string("free"), std::string("suspended")));
    EXPECT_EQ(store_->findAccount("acc_1")->plan, "free");
    EXPECT_EQ(store_->findAccount("acc_1")->status, "suspended");
    EXPECT_FALSE(store_->updateAccount("acc_x", std::string("pro"), std::nullopt));
}

TEST_P(SqlStoreTest, ApiKeysAreListedWithoutTheirHashAndRevokedForGood) {
    ASSERT_TRUE(store_->addApiKey(key("key_1b", "acc_1", "hash1b", 5)));
    EXPECT_FALSE(store_->addApiKey(key("key_x", "acc_x", "hashx", 5))) << "no such account";
    auto keys = store_->listApiKeys("acc_1");
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].id, "key_1");
    EXPECT_EQ(keys[1].id, "key_1b");
    EXPECT_EQ(keys[1].prefix, "smbk_1b");
    EXPECT_FALSE(keys[1].lastUsedAt);

    // A use is noted (to the minute), on the key that was used.
    EXPECT_EQ(store_->findAccountByApiKeyHash("hash1b")->id, "acc_1");
    keys = store_->listApiKeys("acc_1");
    EXPECT_FALSE(keys[0].lastUsedAt);
    ASSERT_TRUE(keys[1].lastUsedAt);

    EXPECT_EQ(store_->activeApiKeyId("hash1b"), std::optional<std::string>("key_1b"));
    EXPECT_TRUE(store_->apiKeyActive("key_1b"));
    EXPECT_FALSE(store_->apiKeyActive("key_nope"));

    EXPECT_FALSE(store_->revokeApiKey("acc_2", "key_1b", 10)) << "another account's key";
    EXPECT_TRUE(store_->revokeApiKey("acc_1", "key_1b", 10));
    EXPECT_FALSE(store_->revokeApiKey("acc_1", "key_1b", 11)) << "already revoked";
    EXPECT_FALSE(store_->findAccountByApiKeyHash("hash1b"));
    EXPECT_FALSE(store_->activeApiKeyId("hash1b"));
    EXPECT_FALSE(store_->apiKeyActive("key_1b"));
    EXPECT_EQ(store_->findAccountByApiKeyHash("hash1")->id, "acc_1") << "the other key still works";
    ASSERT_EQ(store_->listApiKeys("acc_1").size(), 1u);
    // Another process sharing the database refuses it too: nothing is cached.
    EXPECT_FALSE(open()->findAccountByApiKeyHash("hash1b"));
}

TEST_P(SqlStoreTest, ListsAccountsPageByPageInCreationOrder) {
    for (int i = 3; i <= 7; ++i) {
        const std::string n = std::to_string(i);
        // Two accounts share each creation time: the id breaks the tie.
        store_->createAccount({"acc_" + n, "Co " + n, "pro", "active", 10 + i / 2},
                              key("key_" + n, "acc_" + n, "hash" + n, 10 + i / 2));
    }
    std::vector<std::string> seen;
    std::optional<AccountPosition> after;
    for (int page = 0; page < 10; ++page) {
        const auto accounts = store_->listAccounts(after, 3);
        for (const auto& a : accounts) seen.push_back(a.id);
        if (accounts.size() < 3) break;
        after = AccountPosition{accounts.back().createdAt, accounts.back().id};
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"acc_1", "acc_2", "acc_3", "acc_4", "acc_5", "acc_6", "acc_7"}));
}

TEST_P(SqlStoreTest, ADeliveryIsLookedUpWithEveryAttempt) {
    store_->createIntegration(integration("int_a"));
    store_->publish(batch("evt_1", {"int_a"}));
    EXPECT_FALSE(store_->deliveryHistory("dlv_nope"));
    auto claimed = store_->claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    const std::string id = claimed[0].delivery.id;
    store_->recordAttempts({outcome(claimed[0], "w:1", "pending", 20)}, 5);
    claimed = store_->claimDue("w:2", 5000, 6000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    store_->recordAttempts({outcome(claimed[0], "w:2", "succeeded", 5010)}, 5);

    const auto history = store_->deliveryHistory(id);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->delivery.integrationId, "int_a");
    EXPECT_EQ(history->delivery.accountId, "acc_1");
    EXPECT_EQ(history->delivery.eventId, "evt_1");
    EXPECT_EQ(history->delivery.status, "succeeded");
    EXPECT_EQ(history->eventType, "lead.created");
    ASSERT_EQ(history->attempts.size(), 2u);
    EXPECT_EQ(history->attempts[0].status, "pending");
    EXPECT_EQ(history->attempts[1].status, "succeeded");
}

TEST_P(SqlStoreTest, IntegrationsAreScopedToTheirAccount) {
    store_->createIntegration(integration("int_a"));
    EXPECT_TRUE(store_->findIntegration("acc_1", "int_a"));
    EXPECT_FALSE(store_->findIntegration("acc_2", "int_a"));
    EXPECT_EQ(store_->listIntegrations("acc_1").size(), 1u);
    EXPECT_TRUE(store_->listIntegrations("acc_2").empty());
    EXPECT_FALSE(store_->deleteIntegration("acc_2", "int_a"));
    Integration changed = integration("int_a", "acc_2");
    changed.displayName = "hijack";
    EXPECT_FALSE(store_->updateIntegration(changed));
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->displayName, "Hook int_a");
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->events,
              (std::vector<std::string>{"lead.created", "export.completed"}));
}

TEST_P(SqlStoreTest, IdempotencyKeyReturnsTheFirstResponse) {
    store_->createIntegration(integration("int_a"));
    PublishBatch first = batch("evt_1", {"int_a"});
    first.idempotencyKey = "k1";
    first.requestHash = "hash-1";
    first.responseJson = "{\"id\":\"evt_1\"}";
    EXPECT_EQ(store_->publish(first), std::nullopt);
    PublishBatch second = batch("evt_2", {"int_a"});
    second.idempotencyKey = "k1";
    second.requestHash = "hash-2";
    second.responseJson = "{\"id\":\"evt_2\"}";
    EXPECT_EQ(store_->publish(second), (IdempotentReplay{"{\"id\":\"evt_1\"}", "hash-1"}));
    EXPECT_EQ(store_->deliveryStats("int_a").total, 1);
}

TEST_P(SqlStoreTest, AnExpiredIdempotencyKeyIsTakenAnew) {
    store_->createIntegration(integration("int_a"));
    PublishBatch first = batch("evt_1", {"int_a"}, 1000);
    first.events.front().createdAt = 1000;
    first.idempotencyKey = "k1";
    first.responseJson = "{\"id\":\"evt_1\"}";
    EXPECT_EQ(store_->publish(first), std::nullopt);
    PublishBatch later = batch("evt_2", {"int_a"}, 5000);
    later.events.front().createdAt = 5000;
    later.idempotencyKey = "k1";
    later.responseJson = "{\"id\":\"evt_2\"}";
    later.idempotencyNotBefore = 2000;  // the first use (at 1000) has expired
    EXPECT_EQ(store_->publish(later), std::nullopt);
    PublishBatch again = batch("evt_3", {"int_a"}, 5001);
    again.idempotencyKey = "k1";
    again.idempotencyNotBefore = 2000;
    EXPECT_EQ(store_->publish(again), (IdempotentReplay{"{\"id\":\"evt_2\"}", ""}));
    EXPECT_EQ(store_->deliveryStats("int_a").total, 2);
}

TEST_P(SqlStoreTest, ClaimsOnlyDueUnleasedDeliveriesOfActiveIntegrations) {
    store_->createIntegration(integration("int_a"));
    Integration paused = integration("int_p");
    paused.status = "paused";
    store_->createIntegration(paused);
    store_->publish(batch("evt_1", {"int_a", "int_p"}, 1000));
    store_->publish(batch("evt_2", {"int_a"}, 5000));

    EXPECT_TRUE(store_->claimDue("w:1", 999, 2000, 10).empty()) << "nothing due yet";
    const auto claimed = store_->claimDue("w:2", 1000, 2000, 10);
    ASSERT_EQ(claimed.size(), 1u) << "paused integrations are held";
    EXPECT_EQ(claimed[0].delivery.integrationId, "int_a");
    EXPECT_EQ(claimed[0].event.envelopeJson, "{\"id\":\"evt_1\"}");
    EXPECT_TRUE(store_->claimDue("w:3", 1500, 3000, 10).empty()) << "leased";
    EXPECT_EQ(store_->claimDue("w:4", 2001, 4000, 10).size(), 1u) << "lease expired";
}

TEST_P(SqlStoreTest, ClaimsSkipExcludedIntegrations) {
    store_->createIntegration(integration("int_a"));
    store_->createIntegration(integration("int_b"));
    store_->createIntegration(integration("int_c"));
    store_->publish(batch("evt_1", {"int_a", "int_b", "int_c"}));
    const auto claimed = store_->claimDue("w:1", 10, 1000, 10, {"int_a", "int_c"});
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].delivery.integrationId, "int_b");
    EXPECT_EQ(store_->claimDue("w:2", 10, 1000, 10, {"int_b"}).size(), 2u);
}

// One batch mixing every outcome over three integrations: each delivery ends exactly as its
// own outcome says (status, attempts, schedule step, next attempt, lease released) with its own
// attempt row — read back row by row, so outcomes swapped between deliveries would show.
TEST_P(SqlStoreTest, RecordsABatchOfOutcomesAtOnce) {
    for (const char* id : {"int_a", "int_b", "int_c"}) store_->createIntegration(integration(id));
    for (int i = 0; i < 4; ++i) store_->publish(batch("evt_" + std::to_string(i), {"int_a", "int_b", "int_c"}));
    const auto claimed = store_->claimDue("w:1", 10, 1000, 100);
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
    store_->recordAttempts(outcomes, 5);

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
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->requestsSent, 4);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_b")->requestsSent, 0);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_c")->requestsSent, 2);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_c")->status, "active");

    // Only the retrying deliveries come back, each no earlier than its own time.
    EXPECT_TRUE(store_->claimDue("w:2", 499, 1000, 100).empty()) << "retries wait for their time";
    std::set<std::string> due;
    for (const auto& c : store_->claimDue("w:3", 1000, 2000, 100)) {
        due.insert(c.delivery.id);
        EXPECT_LE(expected.at(c.delivery.id).nextAttemptAt, 1000);
    }
    EXPECT_EQ(due, retrying);
}

// The recorder retries a batch whose commit it could not confirm (the connection died during
// COMMIT): outcomes already logged must not be counted twice.
TEST_P(SqlStoreTest, RecordingTheSameOutcomesAgainChangesNothing) {
    store_->createIntegration(integration("int_a"));
    for (const char* id : {"evt_1", "evt_2", "evt_3"}) store_->publish(batch(id, {"int_a"}));
    const auto claimed = store_->claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 3u);
    AttemptOutcome ok = outcome(claimed[0], "w:1", "succeeded", 20);
    ok.requestsAccepted = 1;
    AttemptOutcome failed = outcome(claimed[1], "w:1", "failed", 20);
    store_->recordAttempts({ok, failed}, 2);
    store_->recordAttempts({ok, failed}, 2);
    EXPECT_EQ(store_->recentAttempts("int_a", 50).size(), 2u);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->requestsSent, 1);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->status, "active") << "one failure, counted once";

    // A batch mixing outcomes already logged with a new one: only the new one counts.
    AttemptOutcome third = outcome(claimed[2], "w:1", "succeeded", 30);
    third.requestsAccepted = 1;
    store_->recordAttempts({ok, failed, third}, 2);
    EXPECT_EQ(store_->recentAttempts("int_a", 50).size(), 3u);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->requestsSent, 2);
    const DeliveryStats stats = store_->deliveryStats("int_a");
    EXPECT_EQ(stats.succeeded, 2);
    EXPECT_EQ(stats.failed, 1);
}

TEST_P(SqlStoreTest, FanoutTargetsFollowChangesMadeThroughTheStore) {
    store_->createIntegration(integration("int_a"));
    ASSERT_EQ(store_->fanoutTargets("acc_1").size(), 1u);
    Integration paused = *store_->findIntegration("acc_1", "int_a");
    paused.status = "paused";
    store_->updateIntegration(paused);
    EXPECT_EQ(store_->fanoutTargets("acc_1").at(0).status, "paused");
    store_->createIntegration(integration("int_b"));
    EXPECT_EQ(store_->fanoutTargets("acc_1").size(), 2u);
    store_->deleteIntegration("acc_1", "int_a");
    EXPECT_EQ(store_->fanoutTargets("acc_1").size(), 1u);
}

TEST_P(SqlStoreTest, RecordsAttemptsAndMovesTheDeliveryOn) {
    store_->createIntegration(integration("int_a"));
    store_->publish(batch("evt_1", {"int_a"}));
    auto claimed = store_->claimDue("w:1", 10, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    AttemptOutcome retry = outcome(claimed[0], "w:1", "pending", 20);
    retry.scheduleIndex = 1;
    retry.nextAttemptAt = 50;
    retry.attempt.nextAttemptAt = 50;
    store_->recordAttempts({retry}, 5);
    EXPECT_TRUE(store_->claimDue("w:2", 49, 1000, 10).empty());
    claimed = store_->claimDue("w:3", 50, 1000, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].delivery.attempts, 1);
    EXPECT_EQ(claimed[0].delivery.scheduleIndex, 1);
    store_->recordAttempts({outcome(claimed[0], "w:3", "succeeded", 60)}, 5);

    const auto attempts = store_->recentAttempts("int_a", 50);
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].status, "succeeded") << "newest first";
    EXPECT_EQ(attempts[0].attempt, 2);
    EXPECT_EQ(attempts[1].status, "pending");
    EXPECT_EQ(attempts[1].nextAttemptAt, 50);
    EXPECT_EQ(store_->deliveryStats("int_a").succeeded, 1);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->lastDeliveryAt, 60);
}

TEST_P(SqlStoreTest, AStaleClaimCannotOverwriteANewerOne) {
    store_->createIntegration(integration("int_a"));
    store_->publish(batch("evt_1", {"int_a"}));
    const auto first = store_->claimDue("w:old", 10, 20, 10);
    const auto second = store_->claimDue("w:new", 30, 1000, 10);  // the old lease expired
    ASSERT_EQ(second.size(), 1u);
    store_->recordAttempts({outcome(first[0], "w:old", "failed", 40)}, 5);
    EXPECT_EQ(store_->deliveryStats("int_a").pending, 1) << "the old holder's verdict is only logged";
    store_->recordAttempts({outcome(second[0], "w:new", "succeeded", 50)}, 5);
    EXPECT_EQ(store_->deliveryStats("int_a").succeeded, 1);
}

TEST_P(SqlStoreTest, ManualRetryOnlyForFailedDeliveries) {
    store_->createIntegration(integration("int_a"));
    store_->publish(batch("evt_1", {"int_a"}));
    const std::string id = "dlv_evt_1_int_a";
    EXPECT_EQ(store_->retryDelivery("int_a", id, 5, 8), RetryResult::NotFailed);
    EXPECT_EQ(store_->retryDelivery("int_b", id, 5, 8), RetryResult::NotFound);
    const auto claimed = store_->claimDue("w:1", 10, 1000, 10);
    store_->recordAttempts({outcome(claimed[0], "w:1", "failed", 20)}, 5);
    EXPECT_EQ(store_->retryDelivery("int_a", id, 30, 8), RetryResult::Scheduled);
    const auto again = store_->claimDue("w:2", 30, 1000, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].delivery.scheduleIndex, 8);
}

TEST_P(SqlStoreTest, DisablesAnIntegrationAfterConsecutiveExhaustedDeliveries) {
    store_->createIntegration(integration("int_a"));
    for (int i = 0; i < 3; ++i) {
        store_->publish(batch("evt_" + std::to_string(i), {"int_a"}));
        const auto claimed = store_->claimDue("w:" + std::to_string(i), 10, 1000, 10);
        ASSERT_EQ(claimed.size(), 1u);
        const auto disabled =
            store_->recordAttempts({outcome(claimed[0], "w:" + std::to_string(i), "failed", 20 + i)}, 3);
        EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->status, i < 2 ? "active" : "disabled");
        // The batch that disabled it says so, with the reason (the engine logs it).
        ASSERT_EQ(disabled.size(), i < 2 ? 0u : 1u);
        if (i == 2) {
            EXPECT_EQ(disabled[0].integrationId, "int_a");
            EXPECT_EQ(disabled[0].reason, store_->findIntegration("acc_1", "int_a")->statusReason);
        }
    }
    EXPECT_NE(store_->findIntegration("acc_1", "int_a")->statusReason.find("3 consecutive"), std::string::npos);
}

TEST_P(SqlStoreTest, OnlyReactivationResetsTheFailureStreak) {
    store_->createIntegration(integration("int_a"));
    auto failOnce = [&](int i) {
        store_->publish(batch("evt_" + std::to_string(i), {"int_a"}));
        const auto claimed = store_->claimDue("w:" + std::to_string(i), 10, 1000, 10);
        ASSERT_EQ(claimed.size(), 1u);
        store_->recordAttempts({outcome(claimed[0], "w:" + std::to_string(i), "failed", 20 + i)}, 2);
    };
    failOnce(0);
    Integration renamed = *store_->findIntegration("acc_1", "int_a");
    renamed.displayName = "Renamed";
    ASSERT_TRUE(store_->updateIntegration(renamed));
    failOnce(1);
    Integration disabled = *store_->findIntegration("acc_1", "int_a");
    EXPECT_EQ(disabled.status, "disabled") << "a rename must not reset the streak";
    disabled.status = "active";
    disabled.statusReason.clear();
    ASSERT_TRUE(store_->updateIntegration(disabled));
    failOnce(2);
    EXPECT_EQ(store_->findIntegration("acc_1", "int_a")->status, "active") << "re-activation starts afresh";
}

TEST_P(SqlStoreTest, DeletingCancelsPendingDeliveries) {
    store_->createIntegration(integration("int_a"));
    store_->publish(batch("evt_1", {"int_a"}));
    EXPECT_TRUE(store_->deleteIntegration("acc_1", "int_a"));
    EXPECT_EQ(store_->deliveryStats("int_a").cancelled, 1);
    EXPECT_TRUE(store_->claimDue("w:1", 10, 1000, 10).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlStoreTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backendName(info.param); });

// PostgreSQL only: what a pool of connections to a server must survive.
class PostgresStoreTest : public SqlStoreTest {};

// Several processes claim from one queue at once: each due delivery goes to exactly one of them.
// (SQLite is one process per file: its store serialises claims under one lock.)
TEST_P(PostgresStoreTest, ConcurrentClaimersNeverShareADelivery) {
    store_->createIntegration(integration("int_a"));
    store_->createIntegration(integration("int_b"));
    for (int i = 0; i < 150; ++i) store_->publish(batch("evt_" + std::to_string(i), {"int_a", "int_b"}));

    constexpr int kProcesses = 3;
    std::vector<std::unique_ptr<SqlStore>> processes;
    for (int p = 0; p < kProcesses; ++p) processes.push_back(open());
    std::vector<std::vector<std::string>> claimedBy(kProcesses);
    std::vector<std::thread> threads;
    for (int p = 0; p < kProcesses; ++p) {
        threads.emplace_back([&, p] {
            const std::string owner = "w" + std::to_string(p);
            for (int round = 0; round < 200; ++round) {
                const auto claimed = processes[p]->claimDue(owner, 10, 100000, 7);
                if (claimed.empty()) break;
                for (const auto& c : claimed) claimedBy[p].push_back(c.delivery.id);
            }
        });
    }
    for (auto& t : threads) t.join();
    std::multiset<std::string> all;
    for (const auto& ids : claimedBy) all.insert(ids.begin(), ids.end());
    EXPECT_EQ(all.size(), 300u);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "a delivery was claimed twice";
}

// Several hub processes start at once on an empty database: one migrates, the others wait.
TEST_P(PostgresStoreTest, ConcurrentStartsMigrateOnce) {
    test::ScratchDatabase fresh;
    SqlStoreOptions options = this->options();
    options.connectionString = fresh.server().conninfo(fresh.name());
    std::vector<int> versions(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        threads.emplace_back([&, i] { versions[i] = SqlStore(options).schemaVersion(); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(versions, std::vector<int>(4, latestSchemaVersion()));
    test::PostgresDatabase db(fresh.server(), fresh.name());
    EXPECT_EQ(db.query("SELECT COUNT(*) FROM schema_migrations")[0][0], std::to_string(latestSchemaVersion()));
}

// The server drops every connection (a restart, a failover): the pool replaces dead connections
// by itself, and the next operations succeed rather than fail once per pooled connection.
TEST_P(PostgresStoreTest, ReplacesConnectionsTheServerDropped) {
    store_->createIntegration(integration("int_a"));
    std::vector<std::thread> warm;  // several pooled connections in use, then idle
    for (int i = 0; i < 4; ++i) warm.emplace_back([&] { store_->listIntegrations("acc_1"); });
    for (auto& t : warm) t.join();

    test::PostgresDatabase admin(postgres_->server(), "postgres");
    const auto killed = admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                                    test::TestDatabase::quote(postgres_->name()));
    ASSERT_FALSE(killed.empty());

    for (int i = 0; i < 8; ++i) {
        EXPECT_NO_THROW(store_->publish(batch("evt_" + std::to_string(i), {"int_a"}))) << i;
        EXPECT_NO_THROW(store_->listIntegrations("acc_1")) << i;
    }
    EXPECT_EQ(store_->deliveryStats("int_a").pending, 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest, ::testing::Values(Backend::Postgres),
                         [](const auto& info) { return test::backendName(info.param); });

}  // namespace
}  // namespace smbhub::store
