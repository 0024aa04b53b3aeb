// The metrics registry and its text exposition (metrics/): label values escaped, HELP and TYPE
// once per family, histogram buckets cumulative with _sum and _count, and the hub's series
// (metrics/HubMetrics) counting under the labels SPEC §14 names; an attempt's result label from
// what happened (delivery/AttemptMetrics).
#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "delivery/AttemptMetrics.h"
#include "metrics/Histogram.h"
#include "metrics/HubMetrics.h"
#include "metrics/QueueGauges.h"
#include "metrics/TextExposition.h"

namespace smbhub::metrics {
namespace {

int occurrences(const std::string& text, const std::string& part) {
    int n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

TEST(TextExposition, EscapesLabelValuesAndHelp) {
    EXPECT_EQ(TextExposition::escapeLabelValue(R"(a"b\c)" "\nd"), R"(a\"b\\c\nd)");
    TextExposition out;
    out.family("x_total", "counter", "Line one\nback\\slash");
    out.sample({{"route", "GET /a/:id"}, {"odd", "q\"\n"}}, std::uint64_t{3});
    EXPECT_EQ(out.text(),
              "# HELP x_total Line one\\nback\\\\slash\n"
              "# TYPE x_total counter\n"
              "x_total{route=\"GET /a/:id\",odd=\"q\\\"\\n\"} 3\n");
}

TEST(TextExposition, RefusesAFamilyTwiceAndSamplesWithoutOne) {
    TextExposition out;
    EXPECT_THROW(out.sample({}, std::uint64_t{1}), std::logic_error);
    out.family("a", "gauge", "A.");
    EXPECT_THROW(out.family("a", "gauge", "A again."), std::logic_error);
    EXPECT_THROW(out.histogram({}, Histogram({1}).snapshot()), std::logic_error);
}

TEST(TextExposition, NumbersAsPrometheusReadsThem) {
    EXPECT_EQ(TextExposition::formatNumber(0.25), "0.25");
    EXPECT_EQ(TextExposition::formatNumber(2), "2");
    EXPECT_EQ(TextExposition::formatNumber(1.0 / 0.0), "+Inf");
}

TEST(Histogram, BucketsAreCumulativeWithSumAndCount) {
    Histogram h({0.1, 1, 10});
    for (const double v : {0.05, 0.1, 0.5, 5.0, 50.0}) h.observe(v);
    const HistogramSnapshot s = h.snapshot();
    EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 3, 4, 5}));  // le is "less or equal"
    EXPECT_EQ(s.count, 5u);
    EXPECT_NEAR(s.sumSeconds, 55.65, 1e-6);

    TextExposition out;
    out.family("d_seconds", "histogram", "D.");
    out.histogram({{"route", "r"}}, s);
    EXPECT_EQ(out.text(),
              "# HELP d_seconds D.\n# TYPE d_seconds histogram\n"
              "d_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
              "d_seconds_bucket{route=\"r\",le=\"1\"} 3\n"
              "d_seconds_bucket{route=\"r\",le=\"10\"} 4\n"
              "d_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n"
              "d_seconds_sum{route=\"r\"} 55.65\n"
              "d_seconds_count{route=\"r\"} 5\n");
}

TEST(Histogram, CountsEveryObservationFromManyThreads) {
    Histogram h(Histogram::requestBounds());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&h] {
            for (int i = 0; i < 10000; ++i) h.observe(0.003);
        });
    }
    for (auto& t : threads) t.join();
    const HistogramSnapshot s = h.snapshot();
    EXPECT_EQ(s.count, 40000u);
    EXPECT_NEAR(s.sumSeconds, 120.0, 1e-6);
}

TEST(HubMetrics, CountsUnderTheLabelsOfTheSpecOnly) {
    HubMetrics m;
    m.setProviders({"webhook", "zapier"});
    m.setRoutes({"GET /api/integrations/:id", "POST /api/events"});
    m.eventAccepted("lead.created");
    m.eventAccepted("not.a.type");  // never a label of its own
    m.attemptFinished("webhook", AttemptResult::Status5xx);
    m.attemptFinished("webhook", AttemptResult::Status2xx);
    m.attemptFinished("someone-elses", AttemptResult::Timeout);  // not loaded: "unknown"
    m.deliveryCompleted("webhook", true, 0.2);
    m.deliveryCompleted("zapier", false, 0);
    m.requestFinished(0, 200, 0.002);
    m.requestFinished(0, 404, 0.002);
    m.requestFinished(0, 200, 0.002);
    m.requestFinished(HubMetrics::kUnmatchedRoute, 404, 0.001);
    m.retentionDeleted(RetentionTable::Attempts, 500);

    TextExposition out;
    m.write(out);
    const std::string& t = out.text();
    EXPECT_NE(t.find("smbhub_events_accepted_total{type=\"lead.created\"} 1\n"), std::string::npos) << t;
    EXPECT_EQ(t.find("not.a.type"), std::string::npos);
    EXPECT_NE(t.find("smbhub_delivery_attempts_total{provider=\"webhook\",result=\"5xx\"} 1\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_delivery_attempts_total{provider=\"webhook\",result=\"2xx\"} 1\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_delivery_attempts_total{provider=\"unknown\",result=\"timeout\"} 1\n"), std::string::npos);
    EXPECT_EQ(t.find("someone-elses"), std::string::npos);
    EXPECT_NE(t.find("smbhub_deliveries_completed_total{provider=\"webhook\",outcome=\"succeeded\"} 1\n"),
              std::string::npos);
    EXPECT_NE(t.find("smbhub_deliveries_completed_total{provider=\"zapier\",outcome=\"failed\"} 1\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_delivery_latency_seconds_count 1\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_http_requests_total{route=\"GET /api/integrations/:id\",status=\"200\"} 2\n"),
              std::string::npos);
    EXPECT_NE(t.find("smbhub_http_requests_total{route=\"GET /api/integrations/:id\",status=\"404\"} 1\n"),
              std::string::npos);
    EXPECT_NE(t.find("smbhub_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_http_request_duration_seconds_count{route=\"GET /api/integrations/:id\"} 3\n"),
              std::string::npos);
    EXPECT_EQ(t.find("route=\"POST /api/events\""), std::string::npos) << "a route never requested has no series yet";
    EXPECT_NE(t.find("smbhub_retention_deleted_total{table=\"attempts\"} 500\n"), std::string::npos);
    EXPECT_NE(t.find("smbhub_retention_deleted_total{table=\"idempotency_keys\"} 0\n"), std::string::npos);
    // HELP and TYPE once per family.
    for (const std::string family : {"smbhub_events_accepted_total", "smbhub_delivery_attempts_total",
                                     "smbhub_deliveries_completed_total", "smbhub_delivery_latency_seconds",
                                     "smbhub_http_requests_total", "smbhub_http_request_duration_seconds",
                                     "smbhub_retention_deleted_total"}) {
        EXPECT_EQ(occurrences(t, "# TYPE " + family + " "), 1) << family;
        EXPECT_EQ(occurrences(t, "# HELP " + family + " "), 1) << family;
    }
}

TEST(HubMetrics, StatusCountersAreCreatedOnceUnderConcurrency) {
    HubMetrics m;
    m.setRoutes({"GET /x"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&m] {
            for (int i = 0; i < 5000; ++i) m.requestFinished(0, 200 + (i % 3), 0.001);
        });
    }
    for (auto& t : threads) t.join();
    TextExposition out;
    m.write(out);
    EXPECT_NE(out.text().find("smbhub_http_requests_total{route=\"GET /x\",status=\"200\"} 6668\n"), std::string::npos)
        << out.text();
    EXPECT_NE(out.text().find("smbhub_http_request_duration_seconds_count{route=\"GET /x\"} 20000\n"), std::string::npos);
}

TEST(QueueGauges, ReadsTheDatabaseAtMostOnceASecondAndLeavesGaugesOutWhenItCannot) {
    int reads = 0;
    bool failing = false;
    QueueGauges gauges([&](std::int64_t) {
        ++reads;
        if (failing) throw std::runtime_error("database unavailable");
        return store::QueueSummary{7, 1000};
    });
    auto v = gauges.get(31000);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->pending, 7);
    EXPECT_DOUBLE_EQ(v->oldestPendingSeconds, 30.0);
    EXPECT_TRUE(gauges.get(31500));
    EXPECT_EQ(reads, 1);
    failing = true;
    EXPECT_FALSE(gauges.get(32000));
    EXPECT_EQ(reads, 2);
}

}  // namespace
}  // namespace smbhub::metrics

namespace smbhub::delivery {
namespace {

AttemptReport sent(int status, std::string error = "") {
    AttemptReport r;
    r.stage = AttemptReport::Stage::Sent;
    r.status = status;
    r.transportError = std::move(error);
    return r;
}

TEST(AttemptMetrics, ResultLabelFromWhatHappened) {
    using metrics::AttemptResult;
    EXPECT_EQ(attemptResult(sent(204)), AttemptResult::Status2xx);
    EXPECT_EQ(attemptResult(sent(302)), AttemptResult::Status3xx);
    EXPECT_EQ(attemptResult(sent(410)), AttemptResult::Status4xx);
    EXPECT_EQ(attemptResult(sent(503)), AttemptResult::Status5xx);
    EXPECT_EQ(attemptResult(sent(200, "timed out after 10000 ms")), AttemptResult::Status2xx) << "an answer counts";
    EXPECT_EQ(attemptResult(sent(0, "timed out after 10000 ms")), AttemptResult::Timeout);
    EXPECT_EQ(attemptResult(sent(0, "TLS handshake failed: certificate verify failed (self-signed)")), AttemptResult::Tls);
    EXPECT_EQ(attemptResult(sent(0, "connection refused")), AttemptResult::Network);
    EXPECT_EQ(attemptResult(sent(0, "could not resolve host example.invalid")), AttemptResult::Network);
    EXPECT_EQ(attemptResult(sent(0, "destination address 10.0.0.1 is not allowed (private network)")),
              AttemptResult::Refused);
    AttemptReport unusable;
    unusable.stage = AttemptReport::Stage::TargetUnusable;
    EXPECT_EQ(attemptResult(unusable), AttemptResult::Refused);
    AttemptReport nothing;
    nothing.stage = AttemptReport::Stage::NothingToSend;
    EXPECT_EQ(attemptResult(nothing), std::nullopt);
}

}  // namespace
}  // namespace smbhub::delivery
