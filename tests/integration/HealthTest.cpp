// SPEC §14's probes: GET /healthz (the process runs) and GET /readyz (it should get traffic),
// without credentials, saying nothing but a status and a one-word reason. /readyz is 503 while
// the database is unavailable — here a PostgreSQL server of the test's own, stopped and started
// again; for SQLite see DiskFullTest — and while the hub drains (DrainTest).
#include "HubTest.h"
#include "support/Eventually.h"
#include "support/Postgres.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOk = R"({"status":"ok"})";
constexpr const char* kDatabaseUnavailable = R"({"status":"unavailable","reason":"database_unavailable"})";

class HealthTest : public HubTest {};

TEST_F(HealthTest, BothProbesAnswerWithoutCredentialsAndSayNothingElse) {
    for (const std::string path : {"/healthz", "/readyz"}) {
        const ApiResponse plain = api().get(path);
        EXPECT_EQ(plain.status, 200) << path << ": " << plain.describe();
        EXPECT_EQ(plain.body, kOk) << path;
        EXPECT_EQ(plain.header("Content-Type"), "application/json") << path;
        EXPECT_EQ(plain.header("Cache-Control"), "no-store") << path;
        // A credential is not needed, and a wrong one changes nothing.
        EXPECT_EQ(api().get(path, "smbk_not_a_key").status, 200) << path;
        EXPECT_EQ(api().get(path, hub().adminToken()).body, kOk) << path;
        const ApiResponse post = api().post(path, "{}");
        EXPECT_TRUE(isApiError(post, 405, "method_not_allowed")) << path;
        EXPECT_EQ(post.header("Allow"), "GET") << path;
    }
}

// The database goes away: the process is alive but should get no traffic, until it is back.
class ReadinessOutageTest : public HubTest {
protected:
    void SetUp() override {
        if (backendUnderTest() != Backend::Postgres) {
            GTEST_SKIP() << "stops a PostgreSQL server; SQLite's outage is DiskFullTest; this runs under postgres:";
        }
        server_ = std::make_unique<PostgresServer>();
        database_ = std::make_unique<ScratchDatabase>(server_->address());
        HubTest::SetUp();
    }
    void TearDown() override {
        HubTest::TearDown();
        database_.reset();
        server_.reset();
    }
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"database.url", HubConfigYaml::quoted(database_->url())}};
    }

    std::unique_ptr<PostgresServer> server_;
    std::unique_ptr<ScratchDatabase> database_;
};

TEST_F(ReadinessOutageTest, ReadyzIs503WhileTheDatabaseIsStoppedAnd200OnceItIsBack) {
    ASSERT_EQ(api().get("/readyz").body, kOk);

    server_->stop();
    // Nothing else needs to happen: the hub notices by itself (its dispatcher polls the queue).
    ApiResponse notReady;
    EXPECT_TRUE(eventually([&] { return (notReady = api().get("/readyz")).status == 503; }, 15s))
        << notReady.describe();
    EXPECT_EQ(notReady.body, kDatabaseUnavailable);
    const ApiResponse alive = api().get("/healthz");
    EXPECT_EQ(alive.status, 200) << "the process runs: restarting it would not help";
    EXPECT_EQ(alive.body, kOk);

    server_->start();
    ApiResponse ready;
    EXPECT_TRUE(eventually([&] { return (ready = api().get("/readyz")).status == 200; }, 15s)) << ready.describe();
    EXPECT_EQ(ready.body, kOk);
    const TestAccount account = createAccount();  // and it serves again
    EXPECT_EQ(api().get("/api/integrations", account.apiKey).status, 200);
}

}  // namespace
}  // namespace smbhub::test
