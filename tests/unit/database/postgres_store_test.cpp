// PostgreSQL only: what several processes and a server that drops connections must not break.
// (SQLite is one process per file: its database serialises everything under one lock.)
#include "StoreTest.h"

#include <set>
#include <thread>

namespace smbhub::store {
namespace {

class PostgresStoreTest : public StoreTest {};

// Several processes claim from one queue at once: each due delivery goes to exactly one of them.
TEST_P(PostgresStoreTest, ConcurrentClaimersNeverShareADelivery) {
    integrations().create(integration("int_a"));
    integrations().create(integration("int_b"));
    for (int i = 0; i < 150; ++i) queue().publish(batch("evt_" + std::to_string(i), {"int_a", "int_b"}));

    constexpr int kProcesses = 3;
    std::vector<std::unique_ptr<SqlStores>> processes;
    for (int p = 0; p < kProcesses; ++p) processes.push_back(open());
    std::vector<std::vector<std::string>> claimedBy(kProcesses);
    std::vector<std::thread> threads;
    for (int p = 0; p < kProcesses; ++p) {
        threads.emplace_back([&, p] {
            const std::string owner = "w" + std::to_string(p);
            for (int round = 0; round < 200; ++round) {
                const auto claimed = processes[p]->stores().deliveries.claimDue(owner, 10, 100000, 7);
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
    SqlDatabase::Options options = this->options();
    options.connectionString = fresh.server().conninfo(fresh.name());
    std::vector<int> versions(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        threads.emplace_back([&, i] { versions[i] = SqlDatabase(options).schemaVersion(); });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(versions, std::vector<int>(4, latestSchemaVersion()));
    test::PostgresDatabase db(fresh.server(), fresh.name());
    EXPECT_EQ(db.query("SELECT COUNT(*) FROM schema_migrations")[0][0], std::to_string(latestSchemaVersion()));
}

// The server drops every connection (a restart, a failover): the pool replaces dead connections
// by itself, and the next operations succeed rather than fail once per pooled connection.
TEST_P(PostgresStoreTest, ReplacesConnectionsTheServerDropped) {
    integrations().create(integration("int_a"));
    std::vector<std::thread> warm;  // several pooled connections in use, then idle
    for (int i = 0; i < 4; ++i) warm.emplace_back([&] { integrations().list("acc_1"); });
    for (auto& t : warm) t.join();

    test::PostgresDatabase admin(postgres_->server(), "postgres");
    const auto killed = admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                                    test::TestDatabase::quote(postgres_->name()));
    ASSERT_FALSE(killed.empty());

    for (int i = 0; i < 8; ++i) {
        EXPECT_NO_THROW(queue().publish(batch("evt_" + std::to_string(i), {"int_a"}))) << i;
        EXPECT_NO_THROW(integrations().list("acc_1")) << i;
    }
    EXPECT_EQ(queue().stats("int_a", 1000).pending, 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest, ::testing::Values(Backend::Postgres),
                         [](const auto& info) { return test::backendName(info.param); });

}  // namespace
}  // namespace smbhub::store
