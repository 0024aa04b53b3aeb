// The database goes away under load: PostgreSQL is restarted (fast shutdown: every connection
// is cut) while events are being published and delivered. The hub must answer 503 `unavailable`
// to the writes it cannot store (never a 500, never a dropped connection), reconnect by itself
// when the server is back, and deliver everything it accepted.
//
// PostgreSQL only (the test restarts a server of its own); skipped under the sqlite backend.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "HubTest.h"
#include "support/Eventually.h"
#include "support/Postgres.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr int kPublishers = 3;
constexpr int kAcceptedBeforeRestart = 100;
constexpr int kAcceptedAfterRestart = 100;

class DatabaseOutageTest : public HubTest {
protected:
    void SetUp() override {
        if (backendUnderTest() != Backend::Postgres) {
            GTEST_SKIP() << "restarts a PostgreSQL server; this runs under postgres:";
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
        return {{"database.url", HubConfigYaml::quoted(database_->url())},
                {"api.rate_limit_per_second", "100000"},
                {"api.rate_limit_burst", "100000"}};
    }

    std::unique_ptr<PostgresServer> server_;
    std::unique_ptr<ScratchDatabase> database_;
};

TEST_F(DatabaseOutageTest, RestartUnderLoadAnswers503ReconnectsAndLosesNothingAccepted) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/outage");
    createWebhook(account, "/hooks/outage2");

    std::mutex mutex;
    std::set<std::string> accepted;      // delivery ids from 202 responses
    std::vector<std::string> unexpected;  // anything but 202 or 503 unavailable
    std::atomic<int> acceptedEvents{0};
    std::atomic<int> unavailable{0};
    std::atomic<bool> stop{false};
    const ApiClient client = api();
    std::vector<std::thread> publishers;
    for (int p = 0; p < kPublishers; ++p) {
        publishers.emplace_back([&] {
            while (!stop) {
                const ApiResponse response = client.post(
                    "/api/events", R"({"type":"lead.created","data":)" + leadsData(1) + "}", account.apiKey);
                std::lock_guard lock(mutex);
                if (response.status == 202) {
                    for (const auto& delivery : jsonArray(response.json, "deliveries")) {
                        accepted.insert(jsonString(delivery, "deliveryId"));
                    }
                    ++acceptedEvents;
                } else if (isApiError(response, 503, "unavailable") && response.header("Retry-After") == "1") {
                    ++unavailable;
                    std::this_thread::sleep_for(20ms);
                } else {
                    unexpected.push_back(response.describe());
                }
            }
        });
    }
    const bool loaded = eventually([&] { return acceptedEvents >= kAcceptedBeforeRestart; }, 30s, 5ms);
    std::string restartFailure;  // reported once the publishers have stopped
    try {
        server_->restart();
    } catch (const std::exception& e) {
        restartFailure = e.what();
    }
    const int acceptedAtRestart = acceptedEvents;
    const bool recovered =
        eventually([&] { return acceptedEvents >= acceptedAtRestart + kAcceptedAfterRestart; }, 30s, 20ms);
    stop = true;
    for (auto& t : publishers) t.join();

    ASSERT_TRUE(restartFailure.empty()) << restartFailure;
    ASSERT_TRUE(loaded) << "the hub did not accept events before the restart";
    EXPECT_TRUE(recovered) << "the hub did not accept events again after the restart (no reconnect?)";
    EXPECT_TRUE(hub().running()) << "the hub died with its database";
    EXPECT_GT(unavailable.load(), 0) << "no 503 while the database was down: was it down?";
    EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " answers other than 202 or 503, e.g. "
                                    << unexpected.front();
    std::cout << "[          ] " << acceptedEvents << " events accepted, " << unavailable
              << " answered 503 during the restart\n";

    // Nothing accepted is lost: every delivery of a 202 arrives, and the log shows each done.
    const auto arrivals = waitForDeliveryIds(accepted, 60s);
    EXPECT_EQ(missingFrom(arrivals, accepted), 0u) << "of " << accepted.size() << " accepted deliveries never arrived";

    PostgresDatabase db(database_->server(), database_->name());
    EXPECT_TRUE(eventually(
        [&] { return db.query("SELECT COUNT(*) FROM deliveries WHERE status <> 'succeeded'")[0][0] == "0"; }, 30s))
        << "deliveries not finished: "
        << db.query("SELECT COUNT(*) FROM deliveries WHERE status <> 'succeeded'")[0][0];
}

}  // namespace
}  // namespace smbhub::test
