// The receiver's pieces: State (what the test thread and the I/O thread share), Connection (one
// accepted TLS connection), the accept loop, and `serve`, which reads requests and plays the
// chosen replies onto the wire. Every coroutine runs on the one I/O thread; the test thread
// talks to it through State's mutex and by posting to the io_context.
#include "support/HttpsReceiver.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include "support/ProcessSetup.h"
#include "support/TestCertificates.h"

namespace smbhub::test {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using namespace std::chrono_literals;

// How long stop() lets connections finish before it closes them, and then waits again.
constexpr auto kStopGrace = 5s;
// A close_notify that the client never answers does not keep a connection open longer.
constexpr auto kShutdownGrace = 1s;
constexpr std::uint64_t kRequestBodyLimit = 64 * 1024 * 1024;

struct Connection {
    Connection(tcp::socket socket, ssl::context& tls, int id)
        : stream(std::move(socket), tls), id(id) {}

    void close() {
        ErrorCode ignored;
        stream.lowest_layer().close(ignored);
    }

    ssl::stream<tcp::socket> stream;
    beast::flat_buffer buffer;
    const int id;
    int requests = 0;
    bool idle = false;  // waiting for the head of its next request
};

}  // namespace

struct HttpsReceiver::State {
    explicit State(const TestCertificates& certificates) {
        tls.use_certificate_chain_file(certificates.certFile());
        tls.use_private_key_file(certificates.keyFile(), ssl::context::pem);
    }

    // The I/O objects first: destroyed last, after everything that refers to them.
    asio::io_context io{1};
    ssl::context tls{ssl::context::tls_server};
    tcp::acceptor acceptor{io};

    // I/O thread only.
    std::map<std::shared_ptr<asio::steady_timer>, std::string> holds;  // held requests' paths
    std::set<std::shared_ptr<Connection>> connections;

    // Shared with the test thread: under `mutex`.
    struct PathState {
        ReceiverBehaviour behaviour;
        std::size_t served = 0;  // replies chosen under the current behaviour
        int inService = 0;       // requests being served now (ReceiverBehaviour::capacity())
    };
    mutable std::mutex mutex;
    mutable std::condition_variable changed;  // a request arrived, a release, a connection ended
    std::vector<ReceivedRequest> received;
    std::map<std::string, PathState> paths;
    ReplyWire defaultWire;
    std::size_t releaseGeneration = 0;                  // releases of every path
    std::map<std::string, std::size_t> pathReleases;     // releases of one path
    bool stopping = false;
    int accepted = 0;
    int open = 0;  // connections accepted and not yet ended

    bool isStopping() const {
        std::lock_guard lock(mutex);
        return stopping;
    }
};

namespace {

using State = HttpsReceiver::State;

struct Chosen {
    ReceiverReply reply;
    ReplyWire wire;
    bool stalled = false;  // beyond the path's capacity
};

// Holds one of a path's serving places (ReceiverBehaviour::capacity()) until it is destroyed:
// when the reply was written, or when the connection failed on the way.
class ServingPlace {
public:
    ServingPlace(State& state, std::string path) : state_(&state), path_(std::move(path)) {}
    ServingPlace(const ServingPlace&) = delete;
    ServingPlace& operator=(const ServingPlace&) = delete;
    ~ServingPlace() {
        std::lock_guard lock(state_->mutex);
        --state_->paths[path_].inService;
    }

private:
    State* state_;
    std::string path_;
};

// The next reply of the path's script, chosen when the head arrives (an early answer cannot
// wait for the body), so concurrent requests to one path get consecutive replies. A path with a
// capacity serves the request (`place` holds its serving place) or lets it stall.
Chosen choose(State& state, const std::string& path, std::unique_ptr<ServingPlace>& place) {
    std::lock_guard lock(state.mutex);
    auto& entry = state.paths[path];
    Chosen chosen{entry.behaviour.replyFor(entry.served++), state.defaultWire};
    if (chosen.reply.wire) chosen.wire = *chosen.reply.wire;
    if (const int capacity = entry.behaviour.capacity(); capacity > 0) {
        if (entry.inService < capacity) {
            ++entry.inService;
            place = std::make_unique<ServingPlace>(state, path);
        } else {
            chosen.reply.hangUntilReleased = true;
            chosen.stalled = true;
        }
    }
    return chosen;
}

ReceivedRequest describe(const http::request<http::string_body>& message,
                         const Connection& connection, bool bodyRead) {
    ReceivedRequest received;
    received.method = std::string(message.method_string());
    const std::string target(message.target());
    const auto question = target.find('?');
    received.path = target.substr(0, question);
    received.query = question == std::string::npos ? "" : target.substr(question + 1);
    for (const auto& field : message) {
        received.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    if (bodyRead) received.body = message.body();
    received.bodyRead = bodyRead;
    received.connection = connection.id;
    received.onConnection = connection.requests;
    received.arrivedAt = std::chrono::steady_clock::now();
    received.arrivedAtWall = std::chrono::system_clock::now();
    return received;
}

// The releases a request arrived after; a releaseHanging() that follows its arrival (any
// change) must release it.
struct Releases {
    std::size_t all = 0;
    std::size_t path = 0;
    bool operator==(const Releases&) const = default;
};

Releases releasesOf(const State& state, const std::string& path) {
    const auto it = state.pathReleases.find(path);
    return {state.releaseGeneration, it == state.pathReleases.end() ? 0 : it->second};
}

// Records the request; returns the releases it arrived after.
Releases record(State& state, ReceivedRequest received, int answeredStatus) {
    std::lock_guard lock(state.mutex);
    received.answeredStatus = answeredStatus;
    const Releases releases = releasesOf(state, received.path);
    state.received.push_back(std::move(received));
    state.changed.notify_all();
    return releases;
}

asio::awaitable<void> pause(State& state, std::chrono::milliseconds duration) {
    if (duration.count() <= 0) co_return;
    asio::steady_timer timer(state.io, duration);
    ErrorCode ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// Waits out the reply's hang; releaseHanging() and stop() cancel the wait.
asio::awaitable<void> hold(State& state, const ReceiverReply& reply, const std::string& path,
                          Releases arrivedAfter) {
    if (!reply.hangUntilReleased && reply.hang.count() <= 0) co_return;
    auto timer = std::make_shared<asio::steady_timer>(state.io);
    timer->expires_after(reply.hangUntilReleased ? std::chrono::milliseconds(24h) : reply.hang);
    {
        std::lock_guard lock(state.mutex);
        if (state.stopping || !(releasesOf(state, path) == arrivedAfter)) co_return;
    }
    // No suspension between the check and the wait: a release posted meanwhile finds the timer.
    state.holds.emplace(timer, path);
    ErrorCode ignored;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    state.holds.erase(timer);
}

const char* reasonPhrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 103: return "Early Hints";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 410: return "Gone";
        case 413: return "Payload Too Large";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

std::string interimResponse(int status) {
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
    if (status == 103) text += "Link: </receiver.css>; rel=preload; as=style\r\n";
    return text + "\r\n";
}

std::string hexSize(std::size_t size) {
    char text[32];
    std::snprintf(text, sizeof text, "%zx", size);
    return text;
}

// The reply as the writes that carry it: interim responses, the head, the framed body pieces.
std::vector<std::string> replyWrites(const ReceiverReply& reply, const ReplyWire& wire,
                                     bool keepAlive) {
    using Framing = ReplyWire::Framing;
    std::vector<std::string> writes;
    for (int status : wire.interim) writes.push_back(interimResponse(status));

    std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                       reasonPhrase(reply.status) + "\r\n";
    for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
    head += "Content-Type: text/plain\r\n";
    if (wire.framing == Framing::ContentLength) {
        head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
    } else if (wire.framing == Framing::Chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    }
    if (!keepAlive) head += "Connection: close\r\n";
    head += "\r\n";

    std::vector<std::string> pieces;
    const std::string& body = reply.body;
    if (wire.separateWrites && body.size() >= 2) {
        pieces = {body.substr(0, body.size() / 2), body.substr(body.size() / 2)};
    } else if (!body.empty()) {
        pieces = {body};
    }
    if (wire.framing == Framing::Chunked) {
        for (auto& piece : pieces) piece = hexSize(piece.size()) + "\r\n" + piece + "\r\n";
        pieces.push_back("0\r\n\r\n");
    }

    if (!wire.separateWrites) {
        for (const auto& piece : pieces) head += piece;
        writes.push_back(std::move(head));
        return writes;
    }
    writes.push_back(std::move(head));
    for (auto& piece : pieces) writes.push_back(std::move(piece));
    return writes;
}

asio::awaitable<void> playReply(State& state, Connection& connection, const ReceiverReply& reply,
                                const ReplyWire& wire, bool keepAlive) {
    const auto writes = replyWrites(reply, wire, keepAlive);
    for (std::size_t i = 0; i < writes.size(); ++i) {
        if (i > 0) co_await pause(state, wire.pause);
        co_await asio::async_write(connection.stream, asio::buffer(writes[i]),
                                   asio::use_awaitable);
    }
}

// Ends a connection the way the wire says: close_notify first (not waiting long for the
// client's), or the TCP connection just ends.
asio::awaitable<void> endConnection(State& state, std::shared_ptr<Connection> connection,
                             bool closeNotify) {
    if (closeNotify) {
        asio::steady_timer guard(state.io, kShutdownGrace);
        guard.async_wait([connection](ErrorCode ec) {
            if (!ec) connection->close();
        });
        ErrorCode ignored;
        co_await connection->stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
    }
    connection->close();
}

// Requests one after another until the connection ends.
asio::awaitable<void> exchanges(State& state, std::shared_ptr<Connection> connection) {
    std::chrono::milliseconds idleTimeout{0};
    while (!state.isStopping()) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kRequestBodyLimit);
        connection->idle = true;
        asio::steady_timer idleTimer(state.io);
        if (idleTimeout.count() > 0) {
            idleTimer.expires_after(idleTimeout);
            idleTimer.async_wait([connection](ErrorCode ec) {
                if (!ec && connection->idle) connection->close();
            });
        }
        co_await http::async_read_header(connection->stream, connection->buffer, parser,
                                         asio::use_awaitable);
        connection->idle = false;
        idleTimer.cancel();
        ++connection->requests;
        const auto target = parser.get().target();
        const std::string path(target.substr(0, target.find('?')));
        std::unique_ptr<ServingPlace> place;  // released at the end of this exchange
        const Chosen chosen = choose(state, path, place);
        const ReceiverReply& reply = chosen.reply;
        const ReplyWire& wire = chosen.wire;

        if (wire.answerBeforeBody) {
            const auto releases =
                record(state, describe(parser.get(), *connection, false), reply.status);
            co_await hold(state, reply, path, releases);
            co_await playReply(state, *connection, reply, wire, false);
            co_await pause(state, wire.pause);
            connection->close();  // the body was never read: a reset
            co_return;
        }

        co_await http::async_read(connection->stream, connection->buffer, parser,
                                  asio::use_awaitable);
        const auto releases = record(state, describe(parser.get(), *connection, true),
                                     reply.hangUp || chosen.stalled ? 0 : reply.status);
        if (reply.hangUp) {
            connection->close();
            co_return;
        }
        co_await hold(state, reply, path, releases);
        const bool keepAlive = wire.keepAlive &&
                               wire.framing != ReplyWire::Framing::CloseDelimited &&
                               parser.get().keep_alive() && !state.isStopping();
        co_await playReply(state, *connection, reply, wire, keepAlive);
        if (!keepAlive) {
            co_await endConnection(state, connection, wire.closeNotify);
            co_return;
        }
        idleTimeout = wire.idleTimeout;
    }
}

asio::awaitable<void> serve(State& state, std::shared_ptr<Connection> connection) {
    try {
        co_await connection->stream.async_handshake(ssl::stream_base::server, asio::use_awaitable);
        co_await exchanges(state, connection);
    } catch (const std::exception&) {
        // The client went away, gave up on a held request, or the receiver is stopping.
    }
    connection->close();
    state.connections.erase(connection);
    {
        std::lock_guard lock(state.mutex);
        --state.open;
    }
    state.changed.notify_all();
}

asio::awaitable<void> acceptLoop(State& state) {
    while (state.acceptor.is_open()) {
        ErrorCode ec;
        tcp::socket socket =
            co_await state.acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) continue;  // closed by stop() (the loop ends), or one failed accept
        int id = 0;
        {
            std::lock_guard lock(state.mutex);
            if (state.stopping) continue;
            id = ++state.accepted;
            ++state.open;
        }
        auto connection = std::make_shared<Connection>(std::move(socket), state.tls, id);
        state.connections.insert(connection);
        asio::co_spawn(state.io, serve(state, connection), asio::detached);
    }
}

}  // namespace

// Work posted to the I/O thread refers to the state by a plain pointer: the thread is joined
// (stop()) before the state goes, and a handler that never ran is destroyed with the io_context
// inside the state, so a shared owner there would be a cycle that leaks the whole receiver.
HttpsReceiver::HttpsReceiver(const TestCertificates& certificates)
    : state_(std::make_shared<State>(certificates)) {
    ignoreSigpipe();
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    state_->acceptor.open(endpoint.protocol());
    state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    state_->acceptor.bind(endpoint);
    state_->acceptor.listen(asio::socket_base::max_listen_connections);
    port_ = state_->acceptor.local_endpoint().port();
    asio::co_spawn(state_->io, acceptLoop(*state_), asio::detached);
    io_ = std::thread([state = state_] { state->io.run(); });
}

HttpsReceiver::~HttpsReceiver() { stop(); }

std::string HttpsReceiver::url(const std::string& path) const { return url("localhost", path); }

std::string HttpsReceiver::url(const std::string& host, const std::string& path) const {
    return "https://" + host + ":" + std::to_string(port_) + path;
}

void HttpsReceiver::setBehaviour(const std::string& path, const ReceiverBehaviour& behaviour) {
    std::lock_guard lock(state_->mutex);
    state_->paths[path] = State::PathState{behaviour, 0};
}

void HttpsReceiver::setWire(const ReplyWire& wire) {
    std::lock_guard lock(state_->mutex);
    state_->defaultWire = wire;
}

void HttpsReceiver::releaseHanging() {
    {
        std::lock_guard lock(state_->mutex);
        ++state_->releaseGeneration;
        state_->changed.notify_all();
    }
    asio::post(state_->io, [state = state_.get()] {
        for (const auto& [timer, path] : state->holds) timer->cancel();
    });
}

void HttpsReceiver::releaseHanging(const std::string& path) {
    {
        std::lock_guard lock(state_->mutex);
        ++state_->pathReleases[path];
        state_->changed.notify_all();
    }
    asio::post(state_->io, [state = state_.get(), path] {
        for (const auto& [timer, heldPath] : state->holds) {
            if (heldPath == path) timer->cancel();
        }
    });
}

std::vector<ReceivedRequest> HttpsReceiver::requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->received;
}

std::vector<ReceivedRequest> HttpsReceiver::requests(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    std::vector<ReceivedRequest> matching;
    for (const auto& request : state_->received) {
        if (request.path == path) matching.push_back(request);
    }
    return matching;
}

std::size_t HttpsReceiver::count(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    std::size_t n = 0;
    for (const auto& request : state_->received) n += request.path == path ? 1 : 0;
    return n;
}

bool HttpsReceiver::waitForRequests(const std::string& path, std::size_t count,
                                    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] {
        std::size_t n = 0;
        for (const auto& request : state_->received) n += request.path == path ? 1 : 0;
        return n >= count;
    });
}

int HttpsReceiver::connections() const {
    std::lock_guard lock(state_->mutex);
    return state_->accepted;
}

void HttpsReceiver::clear() {
    std::lock_guard lock(state_->mutex);
    state_->received.clear();
}

void HttpsReceiver::stop() {
    if (!io_.joinable()) return;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        ++state_->releaseGeneration;
        state_->changed.notify_all();
    }
    const auto allEnded = [this](std::chrono::milliseconds grace) {
        std::unique_lock lock(state_->mutex);
        state_->changed.wait_for(lock, grace, [&] { return state_->open == 0; });
    };
    // Held requests answer, idle keep-alive connections close, the rest finish their reply.
    asio::post(state_->io, [state = state_.get()] {
        ErrorCode ignored;
        state->acceptor.close(ignored);
        for (const auto& [timer, path] : state->holds) timer->cancel();
        for (const auto& connection : state->connections) {
            if (connection->idle) connection->close();
        }
    });
    allEnded(kStopGrace);
    // Whatever still runs (a client that stalls mid-request) is cut off.
    asio::post(state_->io, [state = state_.get()] {
        for (const auto& connection : state->connections) connection->close();
    });
    allEnded(kStopGrace);
    state_->io.stop();
    io_.join();
}

}  // namespace smbhub::test
