#include "api/ApiServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include "api/ApiError.h"
#include "api/JsonResponse.h"
#include "store/Store.h"

namespace smbhub::api {
namespace {

Poco::Logger& log() { return Poco::Logger::get("api"); }

// Reads what is left of a refused body (up to a bound) so that the client, still writing, gets
// to read the 413 instead of a reset connection.
void discardRest(std::istream& in, std::size_t bound) {
    char buffer[16384];
    std::size_t discarded = 0;
    while (discarded < bound && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
        discarded += static_cast<std::size_t>(in.gcount());
    }
}

std::string readBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                     std::size_t limit) {
    const std::size_t drainBound = 16 * limit;
    std::istream& in = request.stream();
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
        response.setKeepAlive(false);
        if (request.getContentLength64() <= static_cast<Poco::Int64>(drainBound)) discardRest(in, drainBound);
        throw ApiError::payloadTooLarge(limit);
    }
    std::string body;
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) {
            response.setKeepAlive(false);
            discardRest(in, drainBound);
            throw ApiError::payloadTooLarge(limit);
        }
    }
    return body;
}

std::string sessionCookie(const Poco::Net::HTTPServerRequest& request) {
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    return cookies.get("smb_session", "");
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
public:
    ApiHandler(const Router& router, ApiServices& services) : router_(router), services_(services) {}

    void handleRequest(Poco::Net::HTTPServerRequest& http,
                       Poco::Net::HTTPServerResponse& response) override {
        try {
            dispatch(http, response);
        } catch (const ApiError& e) {
            respondWithError(response, e);
        } catch (const store::StoreUnavailable& e) {
            // An outage is logged by the store as a state (once, then a summary a minute), not
            // per request.
            if (!dynamic_cast<const store::DatabaseOutage*>(&e)) {
                log().error("%s %s: %s", http.getMethod(), pathOf(http), std::string(e.what()));
            }
            respondWithError(response, e.outcomeUnknown() ? ApiError::unavailableOutcomeUnknown() : ApiError::unavailable());
        } catch (const std::exception& e) {
            log().error("%s %s failed: %s", http.getMethod(), pathOf(http), std::string(e.what()));
            respondWithError(response, ApiError::internal());
        } catch (...) {
            respondWithError(response, ApiError::internal());
        }
    }

private:
    static std::string pathOf(const Poco::Net::HTTPServerRequest& http) {
        try {
            return Poco::URI(http.getURI()).getPath();
        } catch (const Poco::Exception&) {
            return "";
        }
    }

    static void respondWithError(Poco::Net::HTTPServerResponse& response, const ApiError& e) {
        if (response.sent()) return;  // the connection is past saving; Poco closes it
        sendError(response, e);
    }

    void dispatch(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& response) {
        std::string path;
        try {
            path = Poco::URI(http.getURI()).getPath();
        } catch (const Poco::Exception&) {
            throw ApiError::invalid("the request URI is malformed");
        }
        const RouteMatch match = router_.match(http.getMethod(), path);
        if (!match.route) {
            if (match.pathMatched) throw ApiError::methodNotAllowed(http.getMethod());
            throw ApiError::notFound("no such endpoint: " + http.getMethod() + " " + path);
        }
        ApiRequest request{http, response, match.params, {}, {}};
        request.caller = authorize(http, match.route->access);
        request.body = readBody(http, response, services_.config.api.maxBodyBytes);
        match.route->handler(request);
    }

    auth::Caller authorize(const Poco::Net::HTTPServerRequest& http, Access access) {
        if (access == Access::Public) return {};
        const std::string authorization = http.get("Authorization", "");
        const auto caller = services_.authenticator.identify(authorization, sessionCookie(http));
        if (!caller) throw ApiError::unauthorized();
        if (caller->admin) {
            if (access == Access::PaidAccount) {
                throw ApiError::unauthorized("integration endpoints take an account's API key or session");
            }
            return *caller;
        }
        if (access == Access::Admin) throw ApiError::unauthorized("this endpoint takes the admin token");
        if (access != Access::AnyCaller) {
            if (auto problem = auth::Authenticator::planProblem(*caller->account,
                                                                services_.config.auth.paidPlans)) {
                throw ApiError::planRequired(*problem);
            }
        }
        if (const int wait = services_.rateLimiter.acquire(caller->account->id)) {
            throw ApiError::rateLimited(wait);
        }
        return *caller;
    }

    const Router& router_;
    ApiServices& services_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    ApiHandlerFactory(const Router& router, ApiServices& services) : router_(router), services_(services) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new ApiHandler(router_, services_);
    }

private:
    const Router& router_;
    ApiServices& services_;
};

}  // namespace

ApiServer::ApiServer(ApiServices services) : services_(std::move(services)) {
    addProviderRoutes(router_, services_);
    addIntegrationRoutes(router_, services_);
    addDeliveryRoutes(router_, services_);
    addEventRoutes(router_, services_);
    addAdminRoutes(router_, services_);
    addOAuthRoutes(router_, services_);
}

ApiServer::~ApiServer() { stop(); }

int ApiServer::start() {
    const config::ServerConfig& c = services_.config.server;
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(c.host, static_cast<Poco::UInt16>(c.port)), 256);
    auto* params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(c.maxThreads);
    params->setMaxQueued(c.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(static_cast<long>(c.keepAliveTimeoutMs) * 1000));
    params->setMaxKeepAliveRequests(0);
    params->setServerName("smb-hub");
    const int port = socket.address().port();
    // Poco's default pool holds 16 threads; the server gets a pool sized as configured.
    threads_ = std::make_unique<Poco::ThreadPool>(2, c.maxThreads);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(router_, services_),
                                                      *threads_, socket, params);
    server_->start();
    return port;
}

void ApiServer::stop() {
    if (server_) {
        server_->stopAll(true);
        server_.reset();
    }
    if (threads_) {
        threads_->joinAll();
        threads_.reset();
    }
}

}  // namespace smbhub::api
