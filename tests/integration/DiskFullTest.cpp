// SQLite's outage: the disk fills up. The database lives on a small tmpfs the test mounts (root
// only; skipped, saying why, otherwise) and fills with a file. While it is full, every publish the
// hub cannot store is answered 503 `unavailable` (never a 202 for an event it did not store),
// deliveries accepted before are not lost (sent, and their outcomes kept until they can be
// written), and once space is back the hub goes on by itself. The outage costs a couple of log
// lines, not one per request, and GET /readyz says 503 while it lasts.
//
// SQLite only; skipped under the postgres backend.
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "HubTest.h"
#include "support/Eventually.h"
#include "support/Postgres.h"
#include "support/SqliteFile.h"
#include "support/TempDir.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

std::size_t countLines(const std::string& text, const std::string& containing) {
    std::size_t n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) n += line.find(containing) != std::string::npos ? 1 : 0;
    return n;
}

class DiskFullTest : public HubTest {
protected:
    void SetUp() override {
        if (backendUnderTest() != Backend::Sqlite) GTEST_SKIP() << "fills the disk under a SQLite database; this runs under sqlite:";
        if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs for the database needs root";
        mountPoint_ = std::make_unique<TempDir>("smbhub-diskfull");
        if (::mount("tmpfs", mountPoint_->path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") != 0) {
            const std::string reason = std::strerror(errno);
            mountPoint_.reset();
            GTEST_SKIP() << "cannot mount a tmpfs for the database: " << reason;
        }
        mounted_ = true;
        HubTest::SetUp();
    }

    void TearDown() override {
        HubTest::TearDown();
        if (mounted_) ::umount2(mountPoint_->path().c_str(), MNT_DETACH);
        mountPoint_.reset();
    }

    std::map<std::string, std::string> hubOverrides() const override {
        return {{"database.url", HubConfigYaml::quoted("sqlite:" + mountPoint_->file("hub.db"))},
                // Deliveries accepted before the disk fills stay pending (the receiver fails them)
                // until well after it is freed.
                {"delivery.retry_schedule", R"(["500ms","500ms","500ms","500ms","500ms","500ms","500ms","500ms",)"
                                            R"("1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s"])"},
                {"api.rate_limit_per_second", "100000"},
                {"api.rate_limit_burst", "100000"}};
    }

    // Writes a file until the file system has no space left; returns its path.
    std::string fillTheDisk() const {
        const std::string filler = mountPoint_->file("filler");
        std::ofstream out(filler, std::ios::binary);
        const std::string block(4096, 'x');
        while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
        }
        return filler;
    }

    // A lead.created event whose data carries `marker`, to find it in the database.
    ApiResponse publishMarked(const TestAccount& account, const std::string& marker) {
        return publish(account, "lead.created",
                       R"({"leads":[{"id":")" + marker +
                           R"(","businessName":"Disk LLC","email":"owner@example.com","state":"TX"}]})");
    }

    std::unique_ptr<TempDir> mountPoint_;
    bool mounted_ = false;
};

TEST_F(DiskFullTest, PublishesAre503WhileFullAcceptedDeliveriesSurviveAndTheHubGoesOnBySpaceAlone) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/disk");
    receiver().setBehaviour("/hooks/disk", ReceiverBehaviour::status(500));  // keep them pending

    std::set<std::string> accepted;  // delivery ids of 202s
    std::set<std::string> storedMarkers;
    std::set<std::string> refusedMarkers;
    const auto publishAndRecord = [&](const std::string& marker) {
        const ApiResponse response = publishMarked(account, marker);
        if (response.status == 202) {
            for (const auto& d : jsonArray(response.json, "deliveries")) accepted.insert(jsonString(d, "deliveryId"));
            storedMarkers.insert(marker);
        } else {
            EXPECT_TRUE(isApiError(response, 503, "unavailable")) << response.describe();
            EXPECT_EQ(response.header("Retry-After"), "1");
            refusedMarkers.insert(marker);
        }
        return response.status;
    };
    for (int i = 0; i < 10; ++i) ASSERT_EQ(publishAndRecord("disk-before-" + std::to_string(i) + "-end"), 202);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/disk", 10, 30s)) << "the accepted deliveries were not attempted";

    const std::string filler = fillTheDisk();
    int refused = 0;
    for (int i = 0; i < 30; ++i) refused += publishAndRecord("disk-full-" + std::to_string(i) + "-end") == 503 ? 1 : 0;
    EXPECT_GE(refused, 25) << "the disk is full: publishes cannot be stored";
    // A load balancer sees it too (SPEC §14), without credentials and without the details.
    const ApiResponse notReady = api().get("/readyz");
    EXPECT_EQ(notReady.status, 503) << notReady.describe();
    EXPECT_EQ(notReady.body, R"({"status":"unavailable","reason":"database_unavailable"})");
    EXPECT_EQ(api().get("/healthz").status, 200) << "the process still runs";
    receiver().setBehaviour("/hooks/disk", ReceiverBehaviour());  // deliveries succeed from now on
    std::this_thread::sleep_for(3s);  // attempts are made; their outcomes cannot all be written
    EXPECT_TRUE(hub().running()) << "the hub died of a full disk";

    std::filesystem::remove(filler);
    EXPECT_TRUE(eventually([&] { return publishAndRecord("disk-after-" + std::to_string(refused++) + "-end") == 202; },
                           30s, 100ms))
        << "the hub did not go on once space was back";
    for (int i = 0; i < 10; ++i) EXPECT_EQ(publishAndRecord("disk-after-more-" + std::to_string(i) + "-end"), 202);
    EXPECT_EQ(api().get("/readyz").body, R"({"status":"ok"})") << "ready again once a write succeeded";

    // Nothing accepted is lost: every delivery of a 202 arrives and ends up succeeded.
    const auto arrivals = waitForDeliveryIds(accepted, 60s);
    EXPECT_EQ(missingFrom(arrivals, accepted), 0u) << "of " << accepted.size() << " accepted deliveries never arrived";
    SqliteFile db(mountPoint_->file("hub.db"));
    EXPECT_TRUE(eventually(
        [&] { return db.query("SELECT COUNT(*) FROM deliveries WHERE status <> 'succeeded'")[0][0] == "0"; }, 60s))
        << db.query("SELECT COUNT(*) FROM deliveries WHERE status <> 'succeeded'")[0][0] << " deliveries not succeeded";

    // A 503 stored nothing; a 202 stored its event once.
    std::map<std::string, int> stored;
    static const std::regex marker("disk-[a-z-]+[0-9]+-end");
    for (const auto& row : db.query("SELECT data FROM events")) {
        for (std::sregex_iterator it(row[0].begin(), row[0].end(), marker), end; it != end; ++it) ++stored[it->str()];
    }
    for (const auto& m : storedMarkers) EXPECT_EQ(stored[m], 1) << m << " was answered 202";
    for (const auto& m : refusedMarkers) EXPECT_EQ(stored[m], 0) << m << " was answered 503 but stored";

    const std::string log = hub().logText();
    EXPECT_EQ(countLines(log, "database unavailable"), 1u) << log;
    EXPECT_EQ(countLines(log, "database available again"), 1u) << log;
    EXPECT_EQ(countLines(log, "POST /api/events"), 0u) << "refused requests are not logged one by one:\n" << log;
    std::cout << "[          ] " << refusedMarkers.size() << " publishes answered 503 while the disk was full, "
              << storedMarkers.size() << " accepted in all\n";
}

}  // namespace
}  // namespace smbhub::test
