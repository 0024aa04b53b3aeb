// GET /metrics (SPEC §14) on the real binary after real traffic: deliveries that succeed and that
// fail for good, a publish, a route that does not exist. promtool (Debian's prometheus package)
// judges the format; the counts must move as the deliveries do; no label carries an account id, a
// URL or a payload; metrics.token is required when set.
#include <fstream>
#include <optional>
#include <regex>

#include "HubTest.h"
#include "support/ChildProcess.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMetricsToken = "metrics-token-for-tests-0123456789";

// The value of one series ("name{labels}" exactly as exposed), or nullopt when absent.
std::optional<double> valueOf(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

double counter(const std::string& text, const std::string& series) { return valueOf(text, series).value_or(0); }

class MetricsTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"metrics.token", HubConfigYaml::quoted(kMetricsToken)}};
    }

    std::string scrape() {
        const ApiResponse r = api().get("/metrics", kMetricsToken);
        EXPECT_EQ(r.status, 200) << r.describe();
        EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
        return r.body;
    }

    // promtool's verdict on the text, or a skip when it is not installed here.
    void expectPromtoolAccepts(const std::string& text) {
        const std::string promtool = SMBHUB_PROMTOOL;
        if (promtool.empty()) {
            std::cout << "[  SKIPPED ] promtool is not installed (Debian package prometheus; scripts/install-deps.sh "
                         "installs it): the format was not judged\n";
            return;
        }
        const std::string file = hub().dir().file("scrape.txt");
        std::ofstream(file) << text;
        const CommandResult check = ChildProcess::run("/bin/sh", {"-c", "\"$0\" check metrics < \"$1\"", promtool, file}, 60s);
        EXPECT_EQ(check.exitCode, 0) << "promtool check metrics: " << check.out << check.describe() << "\n" << text;
    }
};

TEST_F(MetricsTest, TheTokenIsRequiredWhenSet) {
    EXPECT_TRUE(isApiError(api().get("/metrics"), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(api().get("/metrics", "not-the-token"), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(api().get("/metrics", hub().adminToken()), 401, "unauthorized"))
        << "the admin token is not the metrics token";
    EXPECT_EQ(api().get("/metrics", kMetricsToken).status, 200);
}

TEST_F(MetricsTest, CountsMoveAsDeliveriesSucceedAndFailAndPromtoolAcceptsTheFormat) {
    const std::string before = scrape();
    EXPECT_EQ(valueOf(before, "smbhub_build_info{version=\"" SMBHUB_EXPECTED_VERSION "\"}"), 1.0) << before;
    EXPECT_EQ(valueOf(before, "smbhub_plugins{id=\"webhook\",state=\"loaded\"}"), 1.0) << before;
    expectPromtoolAccepts(before);

    const TestAccount account = createAccount();
    const TestIntegration good = createWebhook(account, "/hooks/metrics-good");
    const TestIntegration bad = createWebhook(account, "/hooks/metrics-bad");
    receiver().setBehaviour("/hooks/metrics-bad", ReceiverBehaviour::status(500));
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    EXPECT_EQ(api().get("/api/no/such/route", account.apiKey).status, 404);

    // The good one succeeds at once; the bad one fails 4 times (retry schedule 200/400/800 ms).
    const auto goodAttempts = waitForAttempts(
        account, good.id, [](const auto& a) { return !a.empty() && jsonString(a[0], "status") == "succeeded"; }, 30s);
    ASSERT_FALSE(goodAttempts.empty());
    const auto badAttempts = waitForAttempts(
        account, bad.id, [](const auto& a) { return !a.empty() && jsonString(a[0], "status") == "failed"; }, 30s);
    ASSERT_EQ(badAttempts.size(), 4u) << attemptsText(badAttempts);

    const std::string after = scrape();
    const auto delta = [&](const std::string& series) { return counter(after, series) - counter(before, series); };
    EXPECT_EQ(delta("smbhub_events_accepted_total{type=\"lead.created\"}"), 1) << after;
    EXPECT_EQ(delta("smbhub_delivery_attempts_total{provider=\"webhook\",result=\"2xx\"}"), 1);
    EXPECT_EQ(delta("smbhub_delivery_attempts_total{provider=\"webhook\",result=\"5xx\"}"), 4);
    EXPECT_EQ(delta("smbhub_deliveries_completed_total{provider=\"webhook\",outcome=\"succeeded\"}"), 1);
    EXPECT_EQ(delta("smbhub_deliveries_completed_total{provider=\"webhook\",outcome=\"failed\"}"), 1);
    EXPECT_EQ(delta("smbhub_delivery_latency_seconds_count"), 1);
    EXPECT_EQ(counter(after, "smbhub_delivery_latency_seconds_bucket{le=\"+Inf\"}"), 1);
    EXPECT_GE(counter(after, "smbhub_http_requests_total{route=\"POST /api/events\",status=\"202\"}"), 1);
    EXPECT_GE(counter(after, "smbhub_http_requests_total{route=\"unmatched\",status=\"404\"}"), 1);
    EXPECT_GE(counter(after, "smbhub_http_requests_total{route=\"GET /api/integrations/:id/deliveries\",status=\"200\"}"), 2);
    EXPECT_GE(counter(after, "smbhub_http_request_duration_seconds_count{route=\"POST /api/events\"}"), 1);
    EXPECT_TRUE(valueOf(after, "smbhub_queue_pending")) << after;
    EXPECT_TRUE(valueOf(after, "smbhub_queue_oldest_pending_seconds"));
    EXPECT_TRUE(valueOf(after, "smbhub_db_pool_in_use"));
    EXPECT_EQ(counter(after, "smbhub_retention_deleted_total{table=\"events\"}"), 0);

    // Labels: route templates, never a raw path, an account or integration id, a URL or a payload.
    for (const std::string& secretish : {account.id, good.id, bad.id, std::string("/hooks/"), receiver().url("/"),
                                        std::string("/api/no/such/route"), std::string("lead_")}) {
        EXPECT_EQ(after.find(secretish), std::string::npos) << secretish << " in:\n" << after;
    }
    expectPromtoolAccepts(after);
}

}  // namespace
}  // namespace smbhub::test
