// metrics_bench: what recording costs on the hot paths (not a test; run by hand). Times, on
// THREADS threads at once, the calls the delivery engine makes per finished attempt
// (delivery::countFinishedAttempt: an attempt and a completed delivery with its latency) and the
// API makes per request (HubMetrics::requestFinished), and reports nanoseconds per call next to
// what a delivery costs end to end (docs/performance.md).
//
//   build/bin/metrics_bench [THREADS=2] [CALLS_PER_THREAD=5000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "delivery/AttemptMetrics.h"
#include "metrics/HubMetrics.h"

using namespace smbhub;

template <typename Work>
double nanosPerCall(int threads, long calls, Work work) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (long i = 0; i < calls; ++i) work(t, i);
        });
    }
    for (auto& t : pool) t.join();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(calls);
}

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const long calls = argc > 2 ? std::atol(argv[2]) : 5000000;
    metrics::HubMetrics& m = metrics::hubMetrics();
    m.setProviders({"webhook", "zapier", "clay"});
    std::vector<std::string> routes;
    for (int i = 0; i < 40; ++i) routes.push_back("GET /route/" + std::to_string(i));
    m.setRoutes(routes);

    delivery::FinishedAttempt attempt;
    attempt.provider = "webhook";
    attempt.report.stage = delivery::AttemptReport::Stage::Sent;
    attempt.report.status = 200;
    attempt.startedAt = 1000;
    attempt.finishedAt = 1005;
    delivery::DeliveryVerdict verdict;
    verdict.delivery = store::DeliveryStatus::Succeeded;

    const double perAttempt =
        nanosPerCall(threads, calls, [&](int, long) { delivery::countFinishedAttempt(attempt, verdict); });
    const double perRequest = nanosPerCall(threads, calls, [&](int t, long i) {
        m.requestFinished(static_cast<std::size_t>((i + t) % 40), i % 7 == 0 ? 404 : 200, 0.0004);
    });
    std::printf("threads %d, %ld calls each\n", threads, calls);
    std::printf("per finished attempt (attempt + completion + latency): %.1f ns (wall time per call per thread)\n",
                perAttempt);
    std::printf("per API request (status counter + duration histogram): %.1f ns\n", perRequest);
    return 0;
}
