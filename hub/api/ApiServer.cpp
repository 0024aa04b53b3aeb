#include "api/ApiServer.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include "api/ApiError.h"
#include "api/BrowserRequestPolicy.h"
#include "api/JsonResponse.h"
#include "store/StoreErrors.h"

namespace smbhub::api {
namespace {

Poco::Logger& log() { return Poco::Logger::get("api"); }

// Headers every API answer carries: nothing is cached (unless a route chose revalidation for
// its static files), nothing is sniffed into another type.
void addCommonHeaders(server::Response& response) {
    bool cachePolicySet = false;
    for (const auto& h : response.headers) cachePolicySet = cachePolicySet || h.name == "Cache-Control";
    if (!cachePolicySet) response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
}

server::ServerOptions serverOptions(const config::HubConfig& config) {
    const config::ServerConfig& c = config.server;
    server::ServerOptions o;
    o.host = c.host;
    o.port = c.port;
    o.headerTimeout = c.headerTimeout;
    o.bodyTimeout = c.bodyTimeout;
    o.keepAliveTimeout = c.keepAliveTimeout;
    o.maxConnections = static_cast<std::size_t>(c.maxConnections);
    o.maxBodyBytes = config.api.maxBodyBytes;
    o.ioThreads = c.ioThreads;
    o.workerThreads = c.maxThreads;
    return o;
}

}  // namespace

server::Response errorResponse(const ApiError& error) {
    server::Response response;
    sendError(response, error);
    addCommonHeaders(response);
    return response;
}

ApiServer::ApiServer(ApiServices services) : services_(std::move(services)) {
    addProviderRoutes(router_, services_);
    addIntegrationRoutes(router_, services_);
    addDeliveryRoutes(router_, services_);
    addEventRoutes(router_, services_);
    addAdminRoutes(router_, services_);
    addOAuthRoutes(router_, services_);
    addSessionRoutes(router_, services_);
    addDashboardRoutes(router_, services_);
    addHealthRoutes(router_, services_);
    addOpenApiRoutes(router_, services_);
}

ApiServer::~ApiServer() { stop(std::chrono::milliseconds(0)); }

int ApiServer::start() {
    server_ = std::make_unique<server::HttpServer>(
        serverOptions(services_.config), [this](const server::Request& r) { return handle(r); },
        [](int status, const std::string& message) {
            return errorResponse(ApiError::fromStatus(status, message));
        });
    return server_->start();
}

void ApiServer::stop(std::chrono::milliseconds grace) {
    if (server_) server_->stop(grace);
}

server::Response ApiServer::handle(const server::Request& http) {
    server::Response response;
    try {
        dispatch(http, response);
    } catch (const ApiError& e) {
        response = server::Response{};
        sendError(response, e);
    } catch (const store::StoreUnavailable& e) {
        // An outage is logged by the store as a state (once, then a summary a minute), not
        // per request.
        if (!dynamic_cast<const store::DatabaseOutage*>(&e)) {
            log().error("%s %s: %s", http.method, http.path, std::string(e.what()));
        }
        response = server::Response{};
        sendError(response, e.outcomeUnknown() ? ApiError::unavailableOutcomeUnknown() : ApiError::unavailable());
    } catch (const std::exception& e) {
        log().error("%s %s failed: %s", http.method, http.path, std::string(e.what()));
        response = server::Response{};
        sendError(response, ApiError::internal());
    } catch (...) {
        response = server::Response{};
        sendError(response, ApiError::internal());
    }
    addCommonHeaders(response);
    return response;
}

void ApiServer::dispatch(const server::Request& http, server::Response& response) {
    const RouteMatch match = router_.match(http.method, http.path);
    if (!match.route) {
        if (match.pathMatched) throw ApiError::methodNotAllowed(http.method, match.allowed);
        throw ApiError::notFound("no such endpoint: " + http.method + " " + http.path);
    }
    ApiRequest request{http, response, match.params, {}};
    request.caller = authorize(http, match.route->access);
    match.route->handler(request);
}

auth::Caller ApiServer::authorize(const server::Request& http, Access access) {
    if (access == Access::Public) return {};
    const std::string authorization = http.header("Authorization");
    const auto caller = services_.authenticator.identify(authorization, http.cookie("smb_session").value_or(""));
    if (!caller) throw ApiError::unauthorized();
    if (caller->bySession) {
        if (const auto problem = browserRequestProblem(http, services_.config.dashboard.url)) {
            throw ApiError::forbidden(*problem);
        }
    }
    if (caller->admin) {
        if (access == Access::PaidAccount) {
            throw ApiError::unauthorized("integration endpoints take an account's API key or session");
        }
        return *caller;
    }
    if (access == Access::Admin) throw ApiError::unauthorized("this endpoint takes the admin token");
    if (access != Access::AnyCaller) {
        if (auto problem = auth::Authenticator::planProblem(*caller->account, services_.config.auth.paidPlans)) {
            throw ApiError::planRequired(*problem);
        }
    }
    if (const int wait = services_.rateLimiter.acquire(caller->account->id)) {
        throw ApiError::rateLimited(wait);
    }
    return *caller;
}

}  // namespace smbhub::api
