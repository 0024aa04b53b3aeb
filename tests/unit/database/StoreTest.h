// The fixture of the store tests: the hub's stores on a real SQLite file or a real PostgreSQL
// database (a scratch database on the run's test server), with two accounts, and helpers that
// make integrations, publishes and outcomes. Each suite instantiates it for both backends.
//
// Thread-safety: a fixture: one per test, used on the test's thread; the stores it opens are
// thread-safe (store/Stores.h).
#pragma once

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include <memory>
#include <string>
#include <vector>

#include "store/Migrations.h"
#include "store/Stores.h"
#include "support/Postgres.h"
#include "support/SqliteFile.h"

namespace smbhub::store {

using test::Backend;

class StoreTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        dir_ = boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("store-%%%%%%%%");
        boost::filesystem::create_directories(dir_);
        if (GetParam() == Backend::Postgres) postgres_ = std::make_unique<test::ScratchDatabase>();
        store_ = open();
        accounts().create({"acc_1", "Acme", "pro", "active", 1}, key("key_1", "acc_1", "hash1", 1));
        accounts().create({"acc_2", "Other", "pro", "active", 1}, key("key_2", "acc_2", "hash2", 1));
    }
    void TearDown() override {
        store_.reset();
        postgres_.reset();
        boost::filesystem::remove_all(dir_);
    }

    // Options for another connection (or pool) to the test's database: a second process.
    SqlDatabase::Options options() const {
        SqlDatabase::Options options;
        if (postgres_) {
            options.dialect = &SqlDialect::postgres();
            options.connectionString = postgres_->server().conninfo(postgres_->name());
            options.poolSize = 4;
        } else {
            options.dialect = &SqlDialect::sqlite();
            options.connectionString = (dir_ / "hub.db").string();
        }
        return options;
    }
    std::unique_ptr<SqlStores> open() const { return std::make_unique<SqlStores>(options()); }
    AccountStore& accounts() { return store_->stores().accounts; }
    IntegrationStore& integrations() { return store_->stores().integrations; }
    DeliveryQueue& queue() { return store_->stores().deliveries; }
    // Plain SQL on the test's database, beside the store (as another process would).
    std::unique_ptr<test::TestDatabase> database() const {
        if (postgres_) return std::make_unique<test::PostgresDatabase>(postgres_->server(), postgres_->name());
        return std::make_unique<test::SqliteFile>((dir_ / "hub.db").string());
    }

    // An API key with this id, account and hash; its prefix is made from the id.
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

    // An outcome of the claimed delivery: "succeeded", "pending" (to be retried) or "failed".
    AttemptOutcome outcome(const ClaimedDelivery& c, const std::string& owner, const std::string& status,
                           std::int64_t at) {
        AttemptOutcome o;
        o.leaseOwner = owner;
        o.deliveryStatus = *deliveryStatusFrom(status);
        o.deliveryExhausted = status == "failed";
        o.attempt.id = "att_" + c.delivery.id + std::to_string(at);
        o.attempt.deliveryId = c.delivery.id;
        o.attempt.integrationId = c.delivery.integrationId;
        o.attempt.eventId = c.event.id;
        o.attempt.eventType = c.event.type;
        o.attempt.attempt = c.delivery.attempts + 1;
        o.attempt.status = *attemptStatusFrom(status);
        o.attempt.responseStatus = status == "succeeded" ? 200 : 500;
        o.attempt.createdAt = at;
        return o;
    }

    boost::filesystem::path dir_;
    std::unique_ptr<test::ScratchDatabase> postgres_;
    std::unique_ptr<SqlStores> store_;
};


#define SMBHUB_STORE_BACKENDS(Suite)                                                                        \
    INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(Backend::Sqlite, Backend::Postgres),        \
                             [](const auto& info) { return test::backendName(info.param); })

}  // namespace smbhub::store
