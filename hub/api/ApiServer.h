// The REST API (SPEC §5–§7, §13) on the hub's front door (server/HttpServer). Every request
// goes through one handler that routes, authenticates, applies the browser (CSRF) rule,
// rate-limits, and turns every failure into the SPEC's JSON error: a client can never crash
// the hub or see a stack trace.
//
// Thread-safety: `handle` is called concurrently from the server's worker threads; start() and
// stop() from the controlling thread.
#pragma once

#include <chrono>
#include <memory>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/Router.h"
#include "server/HttpServer.h"

namespace smbhub::api {

class ApiServer {
public:
    explicit ApiServer(ApiServices services);
    ~ApiServer();

    // Binds server.listen (port 0 = any free port) and starts serving. Returns the bound port.
    // Throws std::runtime_error when the address cannot be bound.
    int start();
    // Stops accepting, lets requests already begun finish (up to `grace`), then stops.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

    // One request, start to end (what the server's workers call).
    server::Response handle(const server::Request& request);
    const Router& router() const { return router_; }

private:
    // Routes and runs the request; `route` is set to the matched route's index (for metrics).
    void dispatch(const server::Request& http, server::Response& response, std::size_t& route);
    auth::Caller authorize(const server::Request& http, Access access);

    ApiServices services_;
    Router router_;
    std::unique_ptr<server::HttpServer> server_;
};

// The JSON body of an error, as a whole response (also what the server answers by itself).
server::Response errorResponse(const ApiError& error);

}  // namespace smbhub::api
