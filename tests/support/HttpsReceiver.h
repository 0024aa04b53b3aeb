// A real HTTPS server on 127.0.0.1 (a free port) standing in for a customer's webhook endpoint.
//
// It records every request (see ReceivedRequest) and answers each path according to a
// ReceiverBehaviour (200 "ok" by default). Up to 1000 requests are served at once, so hundreds
// of deliberately hanging requests do not block the others. Every connection is closed after
// its response (no keep-alive), so stop() only has to wait for requests in progress; hanging ones
// are released at once. All methods are thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "support/ReceivedRequest.h"
#include "support/ReceiverBehaviour.h"

namespace smbhub::test {

class TestCertificates;

class HttpsReceiver {
public:
    explicit HttpsReceiver(const TestCertificates& certificates);
    ~HttpsReceiver();
    HttpsReceiver(const HttpsReceiver&) = delete;
    HttpsReceiver& operator=(const HttpsReceiver&) = delete;

    int port() const { return port_; }
    // "https://localhost:<port><path>" — a name the test certificate covers.
    std::string url(const std::string& path) const;
    // Same port under another host name (which the hub must resolve to 127.0.0.1, e.g. with
    // delivery.resolve).
    std::string url(const std::string& host, const std::string& path) const;

    // Replaces the behaviour of `path` and restarts its reply script from the first reply.
    void setBehaviour(const std::string& path, const ReceiverBehaviour& behaviour);
    // Lets every request held by a hang answer now; later requests follow their behaviour.
    void releaseHanging();

    std::vector<ReceivedRequest> requests() const;
    std::vector<ReceivedRequest> requests(const std::string& path) const;
    std::size_t count(const std::string& path) const;
    // True once `path` has received at least `count` requests; false after `timeout`.
    bool waitForRequests(const std::string& path, std::size_t count,
                         std::chrono::milliseconds timeout) const;
    // Forgets the recorded requests (behaviours and their progress stay).
    void clear();

    // Stops accepting, releases hanging requests and waits for the handlers. Idempotent.
    void stop();

    struct State;  // shared with the request handlers

private:
    std::shared_ptr<State> state_;
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    int port_ = 0;
};

}  // namespace smbhub::test
