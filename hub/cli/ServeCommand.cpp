// `smb-hub serve`: wires the hub's services together and runs until SIGINT or SIGTERM.
#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <Poco/Process.h>

#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <optional>
#include <string>

#include "api/ApiServer.h"
#include "auth/Authenticator.h"
#include "auth/RateLimiter.h"
#include "cli/CommandLine.h"
#include "config/GeneratedSecrets.h"
#include "config/HubConfig.h"
#include "core/DatabaseUrl.h"
#include "core/Logging.h"
#include "core/Random.h"
#include "delivery/DeliveryEngine.h"
#include "delivery/HttpSender.h"
#include "delivery/TargetCache.h"
#include "events/EventPublisher.h"
#include "health/Readiness.h"
#include "integrations/IntegrationService.h"
#include "integrations/IntegrationVault.h"
#include "plugins/PluginHost.h"
#include "store/SingleProcessLock.h"
#include "store/StoreFactory.h"

namespace smbhub::cli {
namespace {

// Blocks the termination signals in every thread (threads inherit the mask) so that only
// waitForTermination receives them.
sigset_t blockTerminationSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    return set;
}

int waitForTermination(const sigset_t& set) {
    int signal = 0;
    sigwait(&set, &signal);
    return signal;
}

// Waits up to `delay` for another termination signal; true when one came (stop at once).
bool signalledWithin(const sigset_t& set, std::chrono::milliseconds delay) {
    const auto deadline = std::chrono::steady_clock::now() + delay;
    while (true) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return false;
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
        const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds);
        timespec wait{static_cast<time_t>(seconds.count()), static_cast<long>(nanos.count())};
        if (sigtimedwait(&set, nullptr, &wait) >= 0) return true;
        if (errno != EINTR) return false;  // EAGAIN: the time is up
    }
}

delivery::HttpSenderOptions senderOptions(const config::DeliveryConfig& d) {
    delivery::HttpSenderOptions o;
    o.caFile = d.caFile;
    o.allowHttp = d.allowHttp;
    o.allowPrivateNetworks = d.allowPrivateNetworks;
    o.resolve = d.resolve;
    o.ioThreads = d.ioThreads;
    // Keep a connection for everything that can be in flight: a smaller pool closes connections
    // after a burst only to open (and handshake) them again for the next one.
    o.maxIdlePerHost = static_cast<std::size_t>(d.maxInFlight);
    return o;
}

// Every open connection is a descriptor; a default soft limit of 1024 would refuse connections
// long before server.max_connections. Raise the soft limit to the hard one (as nginx and Go do).
void raiseDescriptorLimit(const config::ServerConfig& server, Poco::Logger& log) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    // Connections, plus room for the database, outbound deliveries and plugins.
    const rlim_t wanted = static_cast<rlim_t>(server.maxConnections) + 1024;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        log.warning("open-file limit %lu is below server.max_connections + 1024 (%lu): raise it (ulimit -n, "
                    "LimitNOFILE=) or connections past it will wait",
                    static_cast<unsigned long>(limit.rlim_cur), static_cast<unsigned long>(wanted));
    }
}

}  // namespace

int runServe(const CommandLine& line) {
    line.allowOnly({"config"});
    const sigset_t signals = blockTerminationSignals();
    config::HubConfig config = config::loadHubConfig(line.configPath());
    core::setUpLogging(config.log.level, core::parseLogFormat(config.log.format));
    Poco::Logger& log = Poco::Logger::get("hub");
    log.information("smb-hub %s starting (pid %d)", std::string(SMBHUB_VERSION), static_cast<int>(Poco::Process::id()));
    raiseDescriptorLimit(config.server, log);

    if (const std::string file = config::fillGeneratedSecrets(config); !file.empty()) {
        log.information("secrets left empty in the config are kept in %s (readable by its owner only)", file);
    }
    const std::string secretsKey = config::decodeSecretsKey(config.secrets.key);

    auto database = store::openStores(config.database.url, config.database.poolSize, config.database.timeout);
    const store::Stores stores = database->stores();
    const bool sqlite = core::isSqliteUrl(config.database.url);
    log.information("database %s at schema version %d",
                    sqlite ? config.database.url : core::redactedPostgresUrl(config.database.url),
                    database->database().schemaVersion());
    std::optional<store::SingleProcessLock> sqliteOwner;  // held until the process ends
    if (sqlite) {
        // One process per SQLite file: leases a crashed predecessor left are this one's.
        sqliteOwner.emplace(core::sqlitePath(config.database.url));
        stores.deliveries.releaseAllLeases();
    }

    plugins::PluginHost plugins;
    plugins.load(config.plugins.dir, config.plugins.enabled, config.plugins.settings);

    const integrations::IntegrationVault vault{crypto::SecretBox(secretsKey)};
    auto sender = delivery::makeAsioHttpSender(senderOptions(config.delivery));
    // Another process sharing the database may change an integration: its targets are reloaded
    // after a second, like accounts and fan-out (docs/architecture.md).
    delivery::TargetCache targets(stores.integrations, plugins, vault,
                                  sqlite ? std::chrono::milliseconds(0) : std::chrono::seconds(1));
    const std::string processId = Poco::Environment::nodeName() + ":" +
                                  std::to_string(Poco::Process::id()) + ":" + core::newId("run").substr(4, 6);
    delivery::DeliveryEngine engine(stores.deliveries, targets, *sender, config.delivery, processId);
    // Leases carry "<worker id>:<n>" (claims) or "<worker id>:handoff" as their owner: this line
    // ties a lease to a process.
    log.information("delivery worker %s", processId);
    events::EventPublisher publisher(stores.integrations, stores.deliveries, engine);
    const auth::Authenticator authenticator(stores.accounts, config.auth.adminToken, config.auth.sessionSecret);
    auth::RateLimiter rateLimiter(config.api.rateLimitPerSecond, config.api.rateLimitBurst);

    const integrations::IntegrationService integrationService(
        stores.integrations, plugins, vault, {config.delivery.allowHttp, config.delivery.allowPrivateNetworks},
        [&targets, &engine](const std::string& integrationId) {
            targets.forget(integrationId);
            engine.wake();  // a resumed integration's held deliveries may flow again
        });
    health::Readiness readiness([&stores] { return stores.databaseStatus(); });

    api::ApiServer server(api::ApiServices{config, stores, plugins, integrationService, publisher, authenticator,
                                           rateLimiter, [&engine] { engine.wake(); }, readiness});
    engine.start();
    const int port = server.start();
    log.information("listening on http://%s:%d", config.server.host, port);

    // Graceful drain (SPEC §14): not ready at once; with SIGTERM the listener stays open for
    // server.drain_delay so that load balancers see /readyz fail and move traffic away before
    // connections are refused (SIGINT, or a second signal, skips the wait). Then no new
    // connections; requests in progress finish — a publish answered 202 is stored — and so do
    // deliveries in flight (up to delivery.timeout_ms), whose outcomes are recorded. What is left
    // pending stays in the database for the next start: nothing accepted is lost.
    const int signal = waitForTermination(signals);
    readiness.startDraining();
    if (signal == SIGTERM && config.server.drainDelay.count() > 0) {
        log.information("SIGTERM: draining; still serving for server.drain_delay (%s ms) while /readyz answers 503",
                        std::to_string(config.server.drainDelay.count()));
        if (signalledWithin(signals, config.server.drainDelay)) log.information("second signal: stopping now");
    }
    log.information("signal %d: stopping; finishing requests and deliveries in flight", signal);
    server.stop(config.delivery.timeout);
    engine.stop();
    sender->stop();
    log.information("stopped");
    return 0;
}

}  // namespace smbhub::cli
