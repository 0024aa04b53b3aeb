#include "delivery/outbound/Exchange.h"

#include <openssl/ssl.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "delivery/outbound/TransportErrors.h"
#include "destinations/AddressPolicy.h"

namespace smbhub::delivery::outbound {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr const char* kStoppedError = "sender stopped before the request completed";

}  // namespace

void invokeSafely(HttpSender::Completion& done, HttpResponse response) {
    if (!done) return;
    try {
        done(std::move(response));
    } catch (...) {
        // The caller's completion failing is the caller's problem; it must not take the I/O
        // thread (and every other request on it) down.
    }
}

Exchange::Exchange(SenderState& state, HttpRequest&& input, HttpSender::Completion&& done,
                   Clock::time_point started)
    : state_(state),
      input_(std::move(input)),
      done_(std::move(done)),
      started_(started),
      strand_(asio::make_strand(*state.io)),
      deadline_(strand_) {}

Exchange::~Exchange() {
    if (!done_) return;
    HttpResponse response;
    response.error = kStoppedError;
    response.duration = elapsed();
    invokeSafely(done_, std::move(response));
}

// Binds a step to the strand, keeps the exchange alive until it runs and turns an exception
// inside it into a failed request.
template <class... Args>
auto Exchange::step(void (Exchange::*member)(Args...)) {
    return asio::bind_executor(strand_, [self = shared_from_this(), member](Args... args) {
        self->guarded([&] { ((*self).*member)(std::forward<Args>(args)...); });
    });
}

template <class Body>
void Exchange::guarded(Body&& body) {
    try {
        body();
    } catch (const std::exception& e) {
        failQuietly(std::string("internal error: ") + e.what());
    } catch (...) {
        failQuietly("internal error");
    }
}

void Exchange::start() {
    asio::post(strand_, [self = shared_from_this()] { self->guarded([&] { self->begin(); }); });
}

void Exchange::begin() {
    std::string error = makeDestination(input_, state_.options.allowHttp, destination_);
    if (error.empty()) error = buildRequest(input_, destination_, request_);
    if (!error.empty()) return fail(std::move(error));
    armDeadline();
    if (auto connection = state_.idle.take(destination_.poolKey)) {
        connection_ = std::move(connection);
        reused_ = true;
        return exchange();
    }
    resolve();
}

void Exchange::armDeadline() {
    deadline_.expires_after(input_.timeout);
    deadline_.async_wait(step(&Exchange::onDeadline));
}

void Exchange::onDeadline(ErrorCode ec) {
    if (ec == asio::error::operation_aborted || finished_) return;
    fail("timed out after " + std::to_string(input_.timeout.count()) + " ms");
}

void Exchange::resolve() {
    const auto& host = destination_.host;
    if (auto it = state_.overrides.find(host); it != state_.overrides.end()) {
        return connect({{it->second}, {}});
    }
    ErrorCode ec;
    const auto address = asio::ip::make_address(host, ec);
    if (!ec) return connect({{tcp::endpoint(address, destination_.port)}, {}});
    asio::post(*state_.dns, [self = shared_from_this()] {
        auto lookup = lookupHost(self->destination_.host, self->destination_.port);
        asio::post(self->strand_, [self, lookup = std::move(lookup)]() mutable {
            self->guarded([&] { self->connect(std::move(lookup)); });
        });
    });
}

void Exchange::connect(Lookup lookup) {
    if (finished_) return;
    if (!lookup.error.empty()) return fail(std::move(lookup.error));
    std::vector<tcp::endpoint> allowed;
    for (const auto& endpoint : lookup.endpoints) {
        if (isAllowed(endpoint.address())) allowed.push_back(endpoint);
    }
    if (allowed.empty()) return fail(notAllowed(lookup.endpoints.front().address()));
    connection_ = std::make_shared<Connection>(
        *state_.io, destination_.tls ? &state_.tls : nullptr, destination_.host);
    reused_ = false;
    asio::async_connect(connection_->socket(), std::move(allowed), step(&Exchange::onConnected));
}

bool Exchange::isAllowed(const asio::ip::address& address) const {
    return state_.options.allowPrivateNetworks ||
           !destinations::isForbiddenAddress(address.to_string());
}

void Exchange::onConnected(ErrorCode ec, const tcp::endpoint&) {
    if (finished_) return;
    if (ec) return fail(describe(ec));
    // The address actually connected to, checked once more: the range filter above is the
    // policy, this is the proof.
    const auto peer = connection_->socket().remote_endpoint(ec);
    if (ec) return fail(describe(ec));
    if (!isAllowed(peer.address())) return fail(notAllowed(peer.address()));
    connection_->socket().set_option(tcp::no_delay(true), ec);
    if (destination_.tls) return handshake();
    exchange();
}

void Exchange::handshake() {
    auto& stream = *connection_->tls();
    // SNI carries names only; an IP-literal host is verified against the certificate's
    // IP addresses by host_name_verification instead.
    if (!isIpLiteral(destination_.host) &&
        SSL_set_tlsext_host_name(stream.native_handle(), destination_.host.c_str()) != 1) {
        return fail("TLS handshake failed: invalid server name " + destination_.host);
    }
    stream.async_handshake(ssl::stream_base::client, step(&Exchange::onHandshake));
}

void Exchange::onHandshake(ErrorCode ec) {
    if (finished_) return;
    if (ec) return fail(describeHandshake(ec, *connection_));
    exchange();
}

// The request is written and the response read at the same time: a receiver may answer
// from the request's head alone (401, 413) and drop the connection with the body unread, and
// then its answer, not the write that failed, is what the delivery log must show.
// `generation_` tells the operations of the connection in use from those of one given up
// (the stale-connection retry); each operation keeps its connection and parser alive.
void Exchange::exchange() {
    const auto generation = ++generation_;
    requestSent_ = false;
    writeError_ = {};
    sawInterim_ = false;
    auto connection = connection_;
    connection->visit([&](auto& stream) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(stream)>, std::monostate>) {
            http::async_write(
                stream, request_,
                asio::bind_executor(strand_, [self = shared_from_this(), connection,
                                              generation](ErrorCode ec, std::size_t) {
                    self->guarded([&] { self->onWritten(generation, ec); });
                }));
        }
    });
    read(generation);
}

void Exchange::onWritten(std::uint64_t generation, ErrorCode ec) {
    if (finished_ || generation != generation_) return;
    // A failed write leaves the verdict to the read: the server may have answered first.
    if (ec) writeError_ = ec;
    else requestSent_ = true;
}

void Exchange::read(std::uint64_t generation) {
    auto parser = std::make_shared<ResponseParser>();
    // Not boost::none: Beast 1.74 compares a Content-Length with an unset limit as if the
    // limit were below every value (boost::optional orders none first), so every body whose
    // head arrived in a read of its own was refused as too large. PrefixBody enforces
    // kBodyLimit.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser->header_limit(kHeaderLimit);
    parser_ = parser;
    auto connection = connection_;
    connection->visit([&](auto& stream) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(stream)>, std::monostate>) {
            http::async_read(
                stream, connection->buffer, *parser,
                asio::bind_executor(strand_, [self = shared_from_this(), connection, parser,
                                              generation](ErrorCode ec, std::size_t) {
                    self->guarded([&] { self->onRead(generation, ec); });
                }));
        }
    });
}

void Exchange::onRead(std::uint64_t generation, ErrorCode ec) {
    if (finished_ || generation != generation_) return;
    if (ec && endsCloseDelimitedBody(ec)) ec = {};
    if (ec) return onTransportError(writeError_ ? writeError_ : ec);
    const int status = parser_->get().result_int();
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200 && status != 101) {
        sawInterim_ = true;
        return read(generation);
    }
    succeed();
}

// A body without Content-Length or chunks ends when the server closes. Many servers close
// TLS without close_notify; for such a body that is its end, not a truncation (for a body
// that announced its length it is one, and stays an error).
bool Exchange::endsCloseDelimitedBody(const ErrorCode& ec) {
    if (ec != ssl::error::stream_truncated || !parser_->is_header_done() ||
        parser_->chunked() || parser_->content_length()) {
        return false;
    }
    ErrorCode eof;
    parser_->put_eof(eof);
    return !eof && parser_->is_done();
}

bool Exchange::responseStarted() const { return sawInterim_ || (parser_ && parser_->got_some()); }

void Exchange::onTransportError(const ErrorCode& ec) {
    // A kept-alive connection the server closed while idle fails before any response byte
    // arrives; the request never reached the application, so one fresh attempt is safe.
    if (reused_ && !retried_ && !responseStarted()) {
        retried_ = true;
        reused_ = false;
        ++generation_;
        connection_->close();
        connection_.reset();
        parser_.reset();
        return resolve();
    }
    fail(describe(ec));
}

void Exchange::succeed() {
    HttpResponse response = takeResponse();
    // Only a connection that carried the whole request and ends with the whole response can
    // take the next one.
    const bool reusable = requestSent_ && parser_->keep_alive() && response.status >= 200 &&
                          connection_->buffer.size() == 0;
    if (reusable) {
        state_.idle.give(destination_.poolKey, std::move(connection_));
    } else {
        connection_->close();
    }
    complete(std::move(response));
}

// Status, headers and body prefix of what has been received (nothing if no full header).
HttpResponse Exchange::takeResponse() {
    HttpResponse response;
    if (!parser_ || !parser_->is_header_done()) return response;
    auto& message = parser_->get();
    response.status = message.result_int();
    for (const auto& field : message.base()) {
        const auto name = field.name_string();
        const auto value = field.value();
        response.headers.emplace_back(std::string(name.data(), name.size()),
                                      std::string(value.data(), value.size()));
    }
    response.bodyPrefix = std::move(message.body().prefix);
    return response;
}

void Exchange::fail(std::string error) {
    if (finished_) return;
    if (connection_) connection_->close();
    HttpResponse response = takeResponse();
    response.error = std::move(error);
    complete(std::move(response));
}

void Exchange::failQuietly(std::string error) noexcept {
    try {
        fail(std::move(error));
    } catch (...) {
        // Out of memory while failing: the destructor still calls `done`.
    }
}

void Exchange::complete(HttpResponse response) {
    finished_ = true;
    deadline_.cancel();
    response.duration = elapsed();
    auto done = std::exchange(done_, nullptr);
    invokeSafely(done, std::move(response));
}

std::chrono::milliseconds Exchange::elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
}

}  // namespace smbhub::delivery::outbound
