// A real HTTPS server on 127.0.0.1 (a free port) standing in for a customer's webhook endpoint.
//
// It records every request (see ReceivedRequest) and answers each path according to a
// ReceiverBehaviour (200 "ok" by default), putting each reply on the wire byte by byte as its
// ReplyWire says: head and body apart, chunked, close-delimited with or without TLS
// close_notify, 1xx first, refused from the head alone, keep-alive — with pauses between the
// writes. Boost.Asio coroutines on one I/O thread of its own: any number of held (hanging)
// requests cost no threads.
//
// stop() refuses new connections, lets every held request answer, closes idle keep-alive
// connections and waits (a few seconds at most) for the others to end. All methods are
// thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/ReceivedRequest.h"
#include "support/ReceiverBehaviour.h"
#include "support/ReplyWire.h"

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
    // How replies without a wire of their own go out (ReplyWire::oneWrite() until set).
    void setWire(const ReplyWire& wire);
    // Lets every request held by a hang answer now; later requests follow their behaviour.
    void releaseHanging();
    // The same for the requests to one path only.
    void releaseHanging(const std::string& path);

    std::vector<ReceivedRequest> requests() const;
    std::vector<ReceivedRequest> requests(const std::string& path) const;
    std::size_t count(const std::string& path) const;
    // True once `path` has received at least `count` requests; false after `timeout`.
    bool waitForRequests(const std::string& path, std::size_t count,
                         std::chrono::milliseconds timeout) const;
    // Connections accepted so far.
    int connections() const;
    // Forgets the recorded requests (behaviours and their progress stay).
    void clear();

    // Stops accepting, releases hanging requests and waits for the connections. Idempotent.
    void stop();

    struct State;  // shared with the connections' coroutines

private:
    std::shared_ptr<State> state_;
    std::thread io_;
    int port_ = 0;
};

}  // namespace smbhub::test
