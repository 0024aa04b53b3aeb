// SPEC §14's shutdown: on SIGTERM /readyz turns 503 at once while the hub still serves for
// server.drain_delay (so a load balancer stops sending before connections are refused), then
// requests in progress and deliveries in flight finish, nothing accepted is lost, and the
// process exits 0. Events are published right through the shutdown: every one answered 202 is
// delivered once the hub is started again, and /readyz said 503 before the listener closed.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

class DrainTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"server.drain_delay", HubConfigYaml::quoted("2s")},
                {"api.rate_limit_per_second", "100000"},
                {"api.rate_limit_burst", "100000"}};
    }
};

TEST_F(DrainTest, PublishingThroughSigtermLosesNothingAndReadyzFailsBeforeTheListenerCloses) {
    const TestAccount account = createAccount();
    createWebhook(account, "/hooks/drain");
    // Slow enough that deliveries are in flight when the signal comes.
    receiver().setBehaviour("/hooks/drain", ReceiverBehaviour::hangFor(300ms));
    const ApiClient client = api();

    std::mutex mutex;
    std::set<std::string> accepted;  // delivery ids answered 202
    std::atomic<int> acceptedAfterSignal{0};
    std::atomic<bool> signalled{false};
    std::atomic<bool> done{false};
    std::vector<std::thread> publishers;
    for (int p = 0; p < 2; ++p) {
        publishers.emplace_back([&] {
            while (!done) {
                const ApiResponse response = client.post(
                    "/api/events", R"({"type":"lead.created","data":)" + leadsData(1) + "}", account.apiKey);
                if (response.status == 202) {
                    std::lock_guard lock(mutex);
                    for (const auto& d : jsonArray(response.json, "deliveries")) accepted.insert(jsonString(d, "deliveryId"));
                    if (signalled) ++acceptedAfterSignal;
                } else if (response.status == 0) {
                    std::this_thread::sleep_for(20ms);  // the listener has closed
                } else if (response.status == 503 &&
                           response.body.find("the server is shutting down") != std::string::npos) {
                    std::this_thread::sleep_for(20ms);  // draining: refused before it was read, nothing taken
                } else {
                    ADD_FAILURE() << "a publish was answered neither 202 nor not at all: " << response.describe();
                }
            }
        });
    }

    // What /readyz said, in order, until nothing answered any more.
    std::vector<std::string> readyz;  // "200", "503 <body>", "closed"
    std::thread prober([&] {
        while (!done) {
            const ApiResponse r = client.get("/readyz");
            const std::string seen = r.status == 0 ? "closed" : std::to_string(r.status) + (r.status == 200 ? "" : " " + r.body);
            {
                std::lock_guard lock(mutex);
                if (readyz.empty() || readyz.back() != seen) readyz.push_back(seen);
            }
            std::this_thread::sleep_for(20ms);
        }
    });

    std::this_thread::sleep_for(1s);  // publishing and delivering at full speed
    signalled = true;
    hub().stop(30s);  // SIGTERM, then wait for the exit
    const auto exitCode = hub().exitCode();
    std::this_thread::sleep_for(200ms);
    done = true;
    for (auto& t : publishers) t.join();
    prober.join();

    EXPECT_EQ(exitCode, 0) << "a graceful stop exits 0";
    {
        std::lock_guard lock(mutex);
        const std::vector<std::string> expected = {
            "200", R"(503 {"status":"unavailable","reason":"draining"})", "closed"};
        EXPECT_EQ(readyz, expected) << "ready, then not ready while still answering, then closed";
        EXPECT_GT(acceptedAfterSignal.load(), 0) << "the hub kept serving during server.drain_delay";
    }
    const std::string log = hub().logText();
    EXPECT_THAT(log, ::testing::HasSubstr("draining: /readyz answers 503"));
    EXPECT_THAT(log, ::testing::HasSubstr("stopped"));

    // Whatever was accepted and not yet delivered is delivered by the next start.
    receiver().setBehaviour("/hooks/drain", ReceiverBehaviour());
    hub().start();
    const auto arrivals = waitForDeliveryIds(accepted, 60s);
    EXPECT_EQ(missingFrom(arrivals, accepted), 0u) << "of " << accepted.size() << " accepted deliveries never arrived";
    std::cout << "[          ] " << accepted.size() << " deliveries accepted, " << acceptedAfterSignal.load()
              << " of their events after SIGTERM; all delivered\n";
}

}  // namespace
}  // namespace smbhub::test
