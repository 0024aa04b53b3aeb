// The REST API over Poco's HTTPServer (SPEC §6, §7). Every request goes through one handler
// that bounds the body, routes, authenticates, rate-limits, and turns every failure into the
// SPEC's JSON error: a client can never crash the hub or see a stack trace.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>

#include "api/ApiServices.h"
#include "api/Router.h"

namespace smbhub::api {

class ApiServer {
public:
    explicit ApiServer(ApiServices services);
    ~ApiServer();

    // Binds server.listen (port 0 = any free port) and starts serving. Returns the bound port.
    int start();
    void stop();

private:
    ApiServices services_;
    Router router_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace smbhub::api
