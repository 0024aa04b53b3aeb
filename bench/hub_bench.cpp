// hub_bench: the publisher and the meter of bench/run.sh (a benchmark, not a test).
//
// It publishes N lead.created events to a running smb-hub over several keep-alive connections
// (POST /api/events with the admin token; with several hub processes, `--hub URL1,URL2,…`
// spreads the connections over them as a load balancer would), notes when each 202 came back (keyed by the event id
// in the reply), then follows the HTTPS sink's access log until every delivery of those events
// has arrived (or a timeout), and reports:
//   - publish rate (events accepted per second) and the 202 round-trip p50/p99;
//   - end-to-end deliveries per second, from the first publish to the last delivery's arrival;
//   - per-delivery latency (arrival $msec in the sink log minus the 202 time of its event);
//   - duplicates (delivery ids seen more than once) and non-2xx answers of the sink;
//   - a sanity check of the hub's own delivery log for one integration (GET .../deliveries and
//     GET /api/integrations/:id stats, with the account's API key).
//
// The sink log is nginx's access log in bench/run.sh's format:
//   $msec $http_x_smb_event_id $http_x_smb_delivery $status $content_length $connection
//   $connection_requests
// Lines whose event id is not one this run published (the other phase, wrk) are ignored.
//
// `hub_bench --sample-body` prints a body of the same size as a delivered envelope (for wrk).
// `--publish-only` publishes and reports the publishing figures without following a sink (for
// bench/pending-rss.sh, which piles deliveries up behind paused integrations).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

using Micros = std::int64_t;

Micros wallMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One small lead, as the main application would send it. The envelope carries it unchanged.
const char* const kLead =
    R"({"company":"Acme Widgets LLC","state":"TX","registeredAt":"2026-01-15",)"
    R"("email":"owner@acme-widgets.example","phone":"+1-512-555-0100","naics":"332510"})";

struct Options {
    std::string hub = "http://127.0.0.1:8080";  // or several, comma-separated
    std::string adminToken;
    std::string accountId;
    std::string apiKey;
    std::string integrationId;  // for the sanity check
    std::string sinkLog;
    std::string label = "run";
    std::string jsonOut;
    int events = 2000;
    int connections = 8;
    double rate = 0;         // events/s; 0 = as fast as the hub accepts them
    double timeoutS = 120;   // for the whole wait for deliveries
    bool sampleBody = false;
    bool publishOnly = false;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "hub_bench: " << problem << "\n"
              << "usage: hub_bench --hub URL[,URL…] --admin-token T --account ACC --api-key KEY\n"
              << "                 --integration INT --sink-log FILE [--events N] [--connections C]\n"
              << "                 [--rate EVENTS_PER_S] [--timeout S] [--label NAME] [--json-out FILE]\n"
              << "       hub_bench --hub URL --admin-token T --account ACC --publish-only [--events N] …\n"
              << "       hub_bench --sample-body\n";
    std::exit(2);
}

Options parseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--hub") o.hub = value();
        else if (arg == "--admin-token") o.adminToken = value();
        else if (arg == "--account") o.accountId = value();
        else if (arg == "--api-key") o.apiKey = value();
        else if (arg == "--integration") o.integrationId = value();
        else if (arg == "--sink-log") o.sinkLog = value();
        else if (arg == "--label") o.label = value();
        else if (arg == "--json-out") o.jsonOut = value();
        else if (arg == "--events") o.events = std::stoi(value());
        else if (arg == "--connections") o.connections = std::stoi(value());
        else if (arg == "--rate") o.rate = std::stod(value());
        else if (arg == "--timeout") o.timeoutS = std::stod(value());
        else if (arg == "--sample-body") o.sampleBody = true;
        else if (arg == "--publish-only") o.publishOnly = true;
        else usage("unknown argument " + arg);
    }
    if (o.sampleBody) return o;
    if (o.adminToken.empty() || o.accountId.empty() || (o.sinkLog.empty() && !o.publishOnly)) {
        usage("--admin-token, --account and --sink-log (unless --publish-only) are required");
    }
    if (o.events < 1 || o.connections < 1) usage("--events and --connections must be positive");
    return o;
}

// The shape the hub delivers for a one-lead lead.created (ids have the hub's length).
std::string sampleEnvelope() {
    const std::string id32(32, 'a');
    return std::string(R"({"id":"evt_)") + id32 +
           R"(","type":"lead.created","createdAt":"2026-01-01T00:00:00.000Z","accountId":"acc_)" +
           id32 + R"(","data":{"count":1,"leads":[)" + kLead + "]}}";
}

std::string publishBody(const std::string& accountId) {
    return std::string(R"({"type":"lead.created","accountId":")") + accountId +
           R"(","data":{"leads":[)" + kLead + "]}}";
}

struct Published {
    std::string eventId;
    Micros sentAt = 0;   // before the request was written
    Micros ackedAt = 0;  // after the 202 was read
    int deliveries = 0;
};

struct HttpResult {
    int status = 0;
    std::string body;
};

HttpResult call(Poco::Net::HTTPClientSession& session, const std::string& method,
                const std::string& path, const std::string& token, const std::string& body) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (!body.empty() || method == Poco::Net::HTTPRequest::HTTP_POST) {
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = session.sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

struct PublishStats {
    std::vector<Published> events;
    int failures = 0;
    std::string firstFailure;
};

std::vector<Poco::URI> hubsOf(const std::string& list) {
    std::vector<Poco::URI> hubs;
    std::istringstream in(list);
    for (std::string url; std::getline(in, url, ',');) {
        if (!url.empty()) hubs.emplace_back(url);
    }
    if (hubs.empty()) throw std::invalid_argument("--hub names no URL");
    return hubs;
}

PublishStats publishAll(const Options& o, const std::vector<Poco::URI>& hubs) {
    std::atomic<int> next{0};
    std::mutex mutex;
    PublishStats stats;
    const std::string body = publishBody(o.accountId);
    const Micros start = wallMicros();
    std::vector<std::thread> threads;
    for (int c = 0; c < o.connections; ++c) {
        threads.emplace_back([&, c] {
            const Poco::URI& hub = hubs[static_cast<std::size_t>(c) % hubs.size()];
            Poco::Net::HTTPClientSession session(hub.getHost(), hub.getPort());
            session.setKeepAlive(true);
            session.setTimeout(Poco::Timespan(30, 0));
            std::vector<Published> mine;
            int failures = 0;
            std::string firstFailure;
            while (true) {
                const int index = next.fetch_add(1);
                if (index >= o.events) break;
                if (o.rate > 0) {
                    const Micros due = start + static_cast<Micros>(index * 1e6 / o.rate);
                    const Micros wait = due - wallMicros();
                    if (wait > 0) std::this_thread::sleep_for(std::chrono::microseconds(wait));
                }
                Published p;
                p.sentAt = wallMicros();
                try {
                    const HttpResult r = call(session, Poco::Net::HTTPRequest::HTTP_POST,
                                              "/api/events", o.adminToken, body);
                    p.ackedAt = wallMicros();
                    if (r.status != 202) {
                        if (failures++ == 0) firstFailure = std::to_string(r.status) + " " + r.body;
                        continue;
                    }
                    const auto reply = parseObject(r.body);
                    p.eventId = reply->getValue<std::string>("id");
                    p.deliveries = static_cast<int>(reply->getArray("deliveries")->size());
                    mine.push_back(std::move(p));
                } catch (const std::exception& e) {
                    if (failures++ == 0) firstFailure = e.what();
                    session.reset();
                }
            }
            std::lock_guard lock(mutex);
            stats.events.insert(stats.events.end(), mine.begin(), mine.end());
            stats.failures += failures;
            if (stats.firstFailure.empty()) stats.firstFailure = firstFailure;
        });
    }
    for (auto& t : threads) t.join();
    return stats;
}

struct Arrival {
    Micros at = 0;
    int eventIndex = 0;
};

struct SinkStats {
    std::vector<Arrival> arrivals;          // first arrival of each delivery id
    std::size_t lines = 0;                  // lines of our events (duplicates included)
    std::size_t duplicates = 0;
    std::size_t non2xx = 0;
    std::set<long long> connections;        // nginx $connection serials used by the hub
    long long maxRequestsPerConnection = 0;
    std::map<long long, std::size_t> contentLengths;
    bool timedOut = false;
};

// Reads the sink's access log as it grows until `expected` distinct deliveries of our events
// were seen, or the deadline passes.
SinkStats followSinkLog(const std::string& path, const std::unordered_map<std::string, int>& index,
                        std::size_t expected, Micros deadline) {
    SinkStats stats;
    std::unordered_set<std::string> seen;
    seen.reserve(expected * 2);
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open sink log " + path);
    std::string pending;
    char buffer[1 << 16];
    while (seen.size() < expected) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) break;
        if (n == 0) {
            if (wallMicros() > deadline) {
                stats.timedOut = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        pending.append(buffer, static_cast<std::size_t>(n));
        std::size_t begin = 0;
        for (std::size_t end; (end = pending.find('\n', begin)) != std::string::npos; begin = end + 1) {
            std::istringstream line(pending.substr(begin, end - begin));
            std::string msec, eventId, deliveryId, contentLength;
            int status = 0;
            long long connection = 0, requests = 0;
            if (!(line >> msec >> eventId >> deliveryId >> status >> contentLength >> connection >> requests)) {
                continue;
            }
            const auto it = index.find(eventId);
            if (it == index.end()) continue;
            ++stats.lines;
            if (status < 200 || status >= 300) ++stats.non2xx;
            stats.connections.insert(connection);
            stats.maxRequestsPerConnection = std::max(stats.maxRequestsPerConnection, requests);
            if (contentLength != "-") ++stats.contentLengths[std::atoll(contentLength.c_str())];
            if (!seen.insert(deliveryId).second) {
                ++stats.duplicates;
                continue;
            }
            const double seconds = std::strtod(msec.c_str(), nullptr);
            stats.arrivals.push_back({static_cast<Micros>(std::llround(seconds * 1e6)), it->second});
        }
        pending.erase(0, begin);
    }
    ::close(fd);
    return stats;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string fixed(double value, int digits = 1) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

struct Sanity {
    int logEntries = -1;
    int logSucceeded = -1;
    long long statsSucceeded = -1;
    long long statsPending = -1;
    long long statsFailed = -1;
    std::string firstFailure;  // error of a failed attempt in the log, if any
    std::string error;
};

Sanity checkHubLog(const Options& o, const Poco::URI& hub) {
    Sanity s;
    if (o.integrationId.empty() || o.apiKey.empty()) {
        s.error = "skipped (no --integration/--api-key)";
        return s;
    }
    try {
        Poco::Net::HTTPClientSession session(hub.getHost(), hub.getPort());
        session.setTimeout(Poco::Timespan(30, 0));
        const HttpResult log = call(session, Poco::Net::HTTPRequest::HTTP_GET,
                                    "/api/integrations/" + o.integrationId + "/deliveries", o.apiKey, "");
        if (log.status != 200) throw std::runtime_error("deliveries: HTTP " + std::to_string(log.status));
        const auto items = parseObject(log.body)->getArray("deliveries");
        s.logEntries = static_cast<int>(items->size());
        s.logSucceeded = 0;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const auto item = items->getObject(static_cast<unsigned>(i));
            if (item->optValue<std::string>("status", "") == "succeeded") {
                ++s.logSucceeded;
            } else if (s.firstFailure.empty()) {
                s.firstFailure = item->optValue<std::string>("error", "") + " (HTTP " +
                                 std::to_string(item->optValue<int>("responseStatus", 0)) + ")";
            }
        }
        const HttpResult one = call(session, Poco::Net::HTTPRequest::HTTP_GET,
                                    "/api/integrations/" + o.integrationId, o.apiKey, "");
        if (one.status != 200) throw std::runtime_error("integration: HTTP " + std::to_string(one.status));
        const auto stats = parseObject(one.body)->getObject("stats");
        if (stats) {
            s.statsSucceeded = stats->optValue<Poco::Int64>("succeeded", -1);
            s.statsPending = stats->optValue<Poco::Int64>("pending", -1);
            s.statsFailed = stats->optValue<Poco::Int64>("failed", -1);
        }
    } catch (const std::exception& e) {
        s.error = e.what();
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parseOptions(argc, argv);
    if (o.sampleBody) {
        std::cout << sampleEnvelope();
        return 0;
    }
    try {
        const std::vector<Poco::URI> hubs = hubsOf(o.hub);
        const Poco::URI& hub = hubs.front();  // for the sanity check: any process answers for all

        // 1. Publish.
        PublishStats published = publishAll(o, hubs);
        auto& events = published.events;
        if (events.empty()) {
            std::cerr << "hub_bench: no event was accepted; first failure: " << published.firstFailure << "\n";
            return 1;
        }
        std::sort(events.begin(), events.end(),
                  [](const Published& a, const Published& b) { return a.sentAt < b.sentAt; });
        std::unordered_map<std::string, int> index;
        std::size_t expected = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            index.emplace(events[i].eventId, static_cast<int>(i));
            expected += static_cast<std::size_t>(events[i].deliveries);
        }
        const Micros firstSent = events.front().sentAt;
        Micros lastAcked = 0;
        std::vector<double> ackMs;
        for (const auto& e : events) {
            lastAcked = std::max(lastAcked, e.ackedAt);
            ackMs.push_back(static_cast<double>(e.ackedAt - e.sentAt) / 1000.0);
        }
        if (o.publishOnly) {
            const double seconds = static_cast<double>(lastAcked - firstSent) / 1e6;
            std::cout << "[" << o.label << "] published " << events.size() << " events (" << published.failures
                      << " failed), " << expected << " deliveries, in " << fixed(seconds, 2) << " s = "
                      << fixed(static_cast<double>(events.size()) / seconds) << " events/s; 202 round trip p50 "
                      << fixed(percentile(ackMs, 50), 2) << " ms, p99 " << fixed(percentile(ackMs, 99), 2) << " ms\n";
            return published.failures == 0 ? 0 : 1;
        }

        // 2. Wait for the deliveries at the sink.
        const Micros deadline = firstSent + static_cast<Micros>(o.timeoutS * 1e6);
        SinkStats sink = followSinkLog(o.sinkLog, index, expected, deadline);
        std::sort(sink.arrivals.begin(), sink.arrivals.end(),
                  [](const Arrival& a, const Arrival& b) { return a.at < b.at; });

        // 3. Numbers.
        const double publishSeconds = static_cast<double>(lastAcked - firstSent) / 1e6;
        const double publishRate = static_cast<double>(events.size()) / publishSeconds;
        std::vector<double> latencyMs;
        latencyMs.reserve(sink.arrivals.size());
        for (const auto& a : sink.arrivals) {
            latencyMs.push_back(static_cast<double>(a.at - events[static_cast<std::size_t>(a.eventIndex)].ackedAt) / 1000.0);
        }
        const std::size_t delivered = sink.arrivals.size();
        const Micros lastArrival = delivered ? sink.arrivals.back().at : firstSent;
        const double e2eSeconds = static_cast<double>(lastArrival - firstSent) / 1e6;
        const double deliveredPerS = e2eSeconds > 0 ? static_cast<double>(delivered) / e2eSeconds : 0;
        // The middle 80% of arrivals: the rate once the pipeline is full, before it drains.
        double midRate = 0;
        if (delivered >= 100) {
            const auto lo = sink.arrivals[delivered / 10].at;
            const auto hi = sink.arrivals[delivered * 9 / 10].at;
            if (hi > lo) midRate = static_cast<double>(delivered * 8 / 10) / (static_cast<double>(hi - lo) / 1e6);
        }
        const double drainSeconds = static_cast<double>(lastArrival - lastAcked) / 1e6;
        const Sanity sanity = checkHubLog(o, hub);

        std::string lengths;
        for (const auto& [length, count] : sink.contentLengths) {
            if (!lengths.empty()) lengths += ",";
            lengths += std::to_string(length) + ":" + std::to_string(count);
        }

        std::ostringstream human;
        human << "[" << o.label << "] published " << events.size() << " events (" << published.failures
              << " failed) over " << o.connections << " connections in " << fixed(publishSeconds, 2)
              << " s = " << fixed(publishRate) << " events/s; 202 round trip p50 " << fixed(percentile(ackMs, 50), 2)
              << " ms, p99 " << fixed(percentile(ackMs, 99), 2) << " ms\n"
              << "[" << o.label << "] delivered " << delivered << "/" << expected << " in "
              << fixed(e2eSeconds, 2) << " s from the first publish = " << fixed(deliveredPerS)
              << " deliveries/s (middle 80%: " << fixed(midRate) << "/s); drain after the last 202: "
              << fixed(drainSeconds, 2) << " s" << (sink.timedOut ? "  ** TIMED OUT **" : "") << "\n"
              << "[" << o.label << "] latency publish(202) -> sink arrival: p50 " << fixed(percentile(latencyMs, 50))
              << " ms, p90 " << fixed(percentile(latencyMs, 90)) << " ms, p99 " << fixed(percentile(latencyMs, 99))
              << " ms, max " << fixed(percentile(latencyMs, 100)) << " ms, min " << fixed(percentile(latencyMs, 0))
              << " ms\n"
              << "[" << o.label << "] sink: duplicates " << sink.duplicates << ", non-2xx " << sink.non2xx
              << ", TLS connections used " << sink.connections.size() << " (max requests on one "
              << sink.maxRequestsPerConnection << "), body sizes " << lengths << "\n"
              << "[" << o.label << "] hub delivery log for " << o.integrationId << ": "
              << sanity.logEntries << " entries (" << sanity.logSucceeded << " succeeded); stats succeeded "
              << sanity.statsSucceeded << ", pending " << sanity.statsPending << ", failed " << sanity.statsFailed
              << (sanity.firstFailure.empty() ? "" : "; a failed attempt: " + sanity.firstFailure)
              << (sanity.error.empty() ? "" : " [" + sanity.error + "]") << "\n";
        std::cout << human.str();

        Poco::JSON::Object summary(Poco::JSON_PRESERVE_KEY_ORDER);
        summary.set("label", o.label);
        summary.set("events", static_cast<Poco::Int64>(events.size()));
        summary.set("publishFailures", published.failures);
        summary.set("connections", o.connections);
        summary.set("targetRate", o.rate);
        summary.set("publishSeconds", publishSeconds);
        summary.set("publishPerS", publishRate);
        summary.set("ackP50Ms", percentile(ackMs, 50));
        summary.set("ackP99Ms", percentile(ackMs, 99));
        summary.set("expectedDeliveries", static_cast<Poco::Int64>(expected));
        summary.set("delivered", static_cast<Poco::Int64>(delivered));
        summary.set("timedOut", sink.timedOut);
        summary.set("e2eSeconds", e2eSeconds);
        summary.set("deliveredPerS", deliveredPerS);
        summary.set("deliveredPerSMiddle80", midRate);
        summary.set("drainSeconds", drainSeconds);
        summary.set("latencyP50Ms", percentile(latencyMs, 50));
        summary.set("latencyP90Ms", percentile(latencyMs, 90));
        summary.set("latencyP99Ms", percentile(latencyMs, 99));
        summary.set("latencyMaxMs", percentile(latencyMs, 100));
        summary.set("duplicates", static_cast<Poco::Int64>(sink.duplicates));
        summary.set("non2xx", static_cast<Poco::Int64>(sink.non2xx));
        summary.set("tlsConnections", static_cast<Poco::Int64>(sink.connections.size()));
        summary.set("hubLogEntries", sanity.logEntries);
        summary.set("hubLogSucceeded", sanity.logSucceeded);
        summary.set("hubStatsSucceeded", static_cast<Poco::Int64>(sanity.statsSucceeded));
        std::ostringstream json;
        summary.stringify(json);
        std::cout << "BENCH_RESULT " << json.str() << "\n";
        if (!o.jsonOut.empty()) std::ofstream(o.jsonOut) << json.str() << "\n";
        const bool ok = !sink.timedOut && sink.duplicates == 0 && sink.non2xx == 0 && published.failures == 0;
        return ok ? 0 : 3;
    } catch (const std::exception& e) {
        std::cerr << "hub_bench: " << e.what() << "\n";
        return 1;
    }
}
