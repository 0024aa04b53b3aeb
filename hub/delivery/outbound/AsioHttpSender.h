// HttpSender on Boost.Asio + Beast (the contract is delivery/HttpSender.h): one io_context run
// by `ioThreads` threads, one strand per request (an Exchange), the idle keep-alive connections
// swept once a second, and a small thread pool for blocking getaddrinfo calls (SenderState).
//
// The pieces, in the order a request meets them (all in this folder):
//   Destination       the request's scheme/host/port, normalised and checked
//   RequestMessage    the HTTP/1.1 message written, header injection refused
//   DnsLookup         resolve-map override, IP literal, or getaddrinfo off the I/O threads
//   Connection        a TCP or TLS stream with its read buffer and certificate-check outcome
//   IdleConnections   idle keep-alive connections per destination, newest first
//   PrefixBody        a Beast body that keeps the first 1 KiB of a response and counts the rest
//   TransportErrors   failures as sentences for the delivery log
//   SenderState       what every exchange of one sender shares
//   Exchange          one request from send() to `done`, with its deadline
//   AsioHttpSender    threads, start and stop
//
// Thread-safety: send() and stop() may be called from any thread, also from a completion
// running on an I/O thread (stop() then leaves joining the threads to the destructor). send()
// takes a shared lock, stop() the exclusive one, so no request starts once stop() has begun.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "delivery/HttpSender.h"
#include "delivery/outbound/SenderState.h"

namespace smbhub::delivery::outbound {

class AsioHttpSender final : public HttpSender {
public:
    // Throws for a malformed `resolve` entry or an unreadable CA file (see SenderState).
    explicit AsioHttpSender(const HttpSenderOptions& options);
    ~AsioHttpSender() override;

    void send(HttpRequest request, Completion done) override;
    void stop() override;

private:
    void runIo();
    void scheduleSweep();
    bool onIoThread() const;
    void shutdown();

    SenderState state_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::optional<boost::asio::steady_timer> sweeper_;
    std::vector<std::thread> threads_;
    std::shared_mutex stateMutex_;
    bool stopped_ = false;
    std::mutex shutdownMutex_;
};

}  // namespace smbhub::delivery::outbound
