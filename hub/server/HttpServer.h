// The front door: an event-driven HTTP/1.1 server (Boost.Beast on Asio) that cannot be starved
// or desynchronised by its clients (SPEC §13, docs/architecture.md "The front door").
//
// Connections cost a socket and a timer, never a thread: a few I/O threads read and write every
// connection; a pool of worker threads runs the handler only once a whole request (head and
// body) has arrived. So idle, slow or trickling clients hold no worker, and a worker is never
// left waiting for a client. The deadlines:
// - a request's head must arrive within `headerTimeout` (from the connection's start, or from
//   the first byte of a request on a kept-alive connection);
// - its body within `bodyTimeout` after the head;
// - a kept-alive connection may sit idle `keepAliveTimeout` before its next request;
// - a response must be taken by the client within `writeTimeout`.
// Past `maxConnections`, new connections get a 503 and are closed at once.
// Framing is strict (server/RequestFraming.h); whenever the server answers without having read
// a request to its end (a framing error, a body over the limit), it closes the connection, so no
// byte of one request is ever parsed as the next.
//
// Thread-safety: start() and stop() from one controlling thread; the handler is called on
// worker threads, concurrently for different connections, and must be thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "server/Request.h"
#include "server/Response.h"

namespace smbhub::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0 = any free port
    std::chrono::milliseconds headerTimeout{10000};
    std::chrono::milliseconds bodyTimeout{30000};
    std::chrono::milliseconds keepAliveTimeout{5000};
    std::chrono::milliseconds writeTimeout{30000};
    std::size_t maxConnections = 10000;
    std::size_t maxHeaderBytes = 32 * 1024;
    std::size_t maxBodyBytes = 1024 * 1024;
    int ioThreads = 1;
    int workerThreads = 64;
};

// Runs on a worker thread with a complete request. Exceptions become a 500 (a handler should
// turn its own errors into responses; this is the last line).
using RequestHandler = std::function<Response(const Request&)>;
// Builds the body of an error the server answers by itself (framing, limits, 503 when full).
using ErrorResponder = std::function<Response(int status, const std::string& message)>;

class HttpServer {
public:
    HttpServer(ServerOptions options, RequestHandler handler, ErrorResponder errors);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts serving; returns the bound port. Throws std::runtime_error saying what
    // is wrong when the address cannot be bound (e.g. another process listens there).
    int start();
    // Stops accepting, closes idle connections, lets requests already begun finish (their
    // responses close the connection) for up to `grace`, then stops. Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

    std::size_t openConnections() const;

    struct Core;  // shared with the connections (HttpServer.cpp)

private:
    std::unique_ptr<Core> core_;
};

}  // namespace smbhub::server
