// One request, from send() to `done`: destination and message, a kept-alive connection or DNS,
// connect (each address checked against the network rules, then the connected peer once more),
// TLS handshake, the request written while the response is read, and the response or the
// reason there is none handed to `done` exactly once. The whole exchange has one deadline
// (HttpRequest::timeout). A kept-alive connection the server had closed while idle is replaced
// and the request sent again at once, as the same attempt.
//
// Thread-safety: an Exchange is shared (shared_from_this) by its pending operations, and every
// step runs on its own strand, so its members are only ever touched by one thread at a time.
// `finished_` makes late completions (after a timeout or a failure) no-ops, and the destructor
// calls `done` ("sender stopped before the request completed") when the sender is stopped with
// the exchange still queued.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "delivery/HttpSender.h"
#include "delivery/outbound/Connection.h"
#include "delivery/outbound/Destination.h"
#include "delivery/outbound/DnsLookup.h"
#include "delivery/outbound/PrefixBody.h"
#include "delivery/outbound/RequestMessage.h"
#include "delivery/outbound/SenderState.h"

namespace smbhub::delivery::outbound {

// Calls `done` (if set) and swallows what it throws: the caller's completion failing is the
// caller's problem, and must not take an I/O thread (and every other request on it) down.
void invokeSafely(HttpSender::Completion& done, HttpResponse response);

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    using Clock = std::chrono::steady_clock;

    Exchange(SenderState& state, HttpRequest&& input, HttpSender::Completion&& done,
             Clock::time_point started);
    ~Exchange();

    // Queues the first step on the exchange's strand.
    void start();

private:
    using ErrorCode = boost::system::error_code;

    template <class... Args>
    auto step(void (Exchange::*member)(Args...));
    template <class Body>
    void guarded(Body&& body);

    void begin();
    void armDeadline();
    void onDeadline(ErrorCode ec);
    void resolve();
    void connect(Lookup lookup);
    bool isAllowed(const boost::asio::ip::address& address) const;
    void onConnected(ErrorCode ec, const boost::asio::ip::tcp::endpoint&);
    void handshake();
    void onHandshake(ErrorCode ec);
    void exchange();
    void onWritten(std::uint64_t generation, ErrorCode ec);
    void read(std::uint64_t generation);
    void onRead(std::uint64_t generation, ErrorCode ec);
    bool endsCloseDelimitedBody(const ErrorCode& ec);
    bool responseStarted() const;
    void onTransportError(const ErrorCode& ec);
    void succeed();
    HttpResponse takeResponse();
    void fail(std::string error);
    void failQuietly(std::string error) noexcept;
    void complete(HttpResponse response);
    std::chrono::milliseconds elapsed() const;

    SenderState& state_;
    HttpRequest input_;
    HttpSender::Completion done_;
    const Clock::time_point started_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer deadline_;
    Destination destination_;
    RequestMessage request_;
    std::shared_ptr<Connection> connection_;
    std::shared_ptr<ResponseParser> parser_;  // of the response being read
    std::uint64_t generation_ = 0;            // of the connection in use
    ErrorCode writeError_;                    // the request could not be written whole
    bool requestSent_ = false;
    bool reused_ = false;
    bool retried_ = false;
    bool sawInterim_ = false;
    bool finished_ = false;
};

}  // namespace smbhub::delivery::outbound
