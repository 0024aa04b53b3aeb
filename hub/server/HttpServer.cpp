// HttpServer on Boost.Asio + Beast. The pieces, in the order a connection meets them:
//   Listener     accepts, refuses past maxConnections, survives running out of descriptors
//   Connection   one client: idle wait → head → framing check → body → handler → response,
//                each phase under its own deadline, all on the connection's strand
//   Core         what the listener, the connections and stop() share
#include "server/HttpServer.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/RequestFraming.h"

namespace smbhub::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;

Poco::Logger& log() { return Poco::Logger::get("server"); }

// Bytes read at once while waiting for a kept-alive connection's next request.
constexpr std::size_t kReadChunk = 4096;
// After an answer that closes the connection, what the client still sends is read and dropped
// for a moment, so that closing does not reset the connection before the client has read the
// answer (TCP discards unread received data with a RST).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 256 * 1024;
// How long to wait before accepting again when the process is out of file descriptors.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);

bool isQuietEnd(const ErrorCode& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
           ec == beast::error::timeout || ec == asio::error::bad_descriptor;
}

// The origin-form target split into a decoded path and a raw query; absolute-form is accepted
// as RFC 9112 asks. False for anything else ("*", garbage, a bad %-escape).
bool splitTarget(const std::string& target, std::string& path, std::string& query) {
    try {
        if (!target.empty() && target.front() == '/') {
            const auto mark = target.find('?');
            Poco::URI::decode(target.substr(0, mark), path);
            query = mark == std::string::npos ? std::string() : target.substr(mark + 1);
            return true;
        }
        const Poco::URI uri(target);
        if (uri.getScheme() != "http" && uri.getScheme() != "https") return false;
        path = uri.getPath().empty() ? "/" : uri.getPath();
        query = uri.getRawQuery();
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

class Connection;

struct HttpServer::Core {
    Core(ServerOptions o, RequestHandler h, ErrorResponder e)
        : options(std::move(o)), handler(std::move(h)), errors(std::move(e)),
          workers(static_cast<std::size_t>(std::max(1, options.workerThreads))) {
        io.emplace();
        acceptor.emplace(*io);
        acceptRetry.emplace(*io);
    }

    const ServerOptions options;
    const RequestHandler handler;
    const ErrorResponder errors;
    asio::thread_pool workers;
    // Torn down by stop() in this order: the acceptor and timer, then the io_context, whose
    // destruction destroys the handlers still queued and with them the last connections.
    std::optional<asio::io_context> io;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> acceptRetry;
    // Keeps the I/O threads running while every connection waits on a worker (no I/O pending).
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> ioThreads;
    bool stopped = false;

    std::atomic<std::size_t> open{0};
    std::atomic<bool> draining{false};

    // Live connections, so that stop() can close the idle ones.
    std::mutex mutex;
    std::condition_variable quiet;  // signalled when a connection ends or a handler returns
    std::list<std::weak_ptr<Connection>> connections;
    std::size_t handling = 0;  // requests inside the handler

    Response errorResponse(int status, const std::string& message) const {
        Response response;
        try {
            response = errors(status, message);
        } catch (...) {
            response.status = status;
        }
        response.closeConnection = true;
        return response;
    }
};

// ---------------------------------------------------------------------------------------------
// Connection

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(HttpServer::Core& core, tcp::socket&& socket)
        : core_(core), stream_(std::move(socket)) {
        ErrorCode ec;
        const auto peer = stream_.socket().remote_endpoint(ec);
        if (!ec) peerAddress_ = peer.address().to_string();
    }

    ~Connection() {
        {
            std::lock_guard lock(core_.mutex);
            if (registered_) core_.connections.erase(self_);
        }
        core_.open.fetch_sub(1);
        core_.quiet.notify_all();
    }

    void start() {
        {
            std::lock_guard lock(core_.mutex);
            self_ = core_.connections.insert(core_.connections.end(), weak_from_this());
            registered_ = true;
        }
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->nextRequest(true); });
    }

    // From stop(): a connection between requests closes now; one inside a request finishes it
    // and closes after its response.
    void drain() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (self->phase_ == Phase::Idle || self->phase_ == Phase::Head) self->closeNow();
        });
    }

private:
    enum class Phase { Idle, Head, Body, Handling, Writing, Closing };

    template <class Member>
    auto bind(Member member) {
        return beast::bind_front_handler(member, shared_from_this());
    }

    void nextRequest(bool first) {
        if (core_.draining) return closeNow();
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(core_.options.maxHeaderBytes));
        parser_->body_limit(core_.options.maxBodyBytes);
        if (first || buffer_.size() > 0) {
            // A new connection has headerTimeout for its first head; pipelined bytes already
            // here start a head at once.
            stream_.expires_after(core_.options.headerTimeout);
            return readHead();
        }
        phase_ = Phase::Idle;
        stream_.expires_after(core_.options.keepAliveTimeout);
        stream_.async_read_some(buffer_.prepare(kReadChunk), bind(&Connection::onFirstBytes));
    }

    void onFirstBytes(ErrorCode ec, std::size_t bytes) {
        if (ec) return closeNow();
        buffer_.commit(bytes);
        stream_.expires_after(core_.options.headerTimeout);
        readHead();
    }

    void readHead() {
        phase_ = Phase::Head;
        http::async_read_header(stream_, buffer_, *parser_, bind(&Connection::onHead));
    }

    void onHead(ErrorCode ec, std::size_t) {
        if (ec) {
            if (ec == http::error::body_limit) {  // a declared Content-Length over the limit
                return answerAndClose(413, "request body is larger than " +
                                               std::to_string(core_.options.maxBodyBytes) + " bytes");
            }
            if (ec == http::error::header_limit) {
                return answerAndClose(400, "the request head is larger than " +
                                               std::to_string(core_.options.maxHeaderBytes / 1024) + " KiB");
            }
            if (isQuietEnd(ec) || ec == http::error::partial_message) return closeNow();
            return answerAndClose(400, "malformed HTTP request (" + ec.message() + ")");
        }
        auto& head = parser_->get();
        headers_.clear();
        for (const auto& field : head) {
            headers_.push_back({std::string(field.name_string()), std::string(field.value())});
        }
        const int minor = head.version() == 10 ? 0 : 1;
        const FramingVerdict framing = checkFraming(minor, headers_, core_.options.maxBodyBytes);
        if (!framing.ok()) return answerAndClose(framing.status, framing.message);
        if (framing.expectContinue && framing.framing != BodyFraming::None && !parser_->is_done()) {
            continue_.emplace(http::status::continue_, head.version());
            phase_ = Phase::Writing;
            stream_.expires_after(core_.options.writeTimeout);
            return http::async_write(stream_, *continue_, bind(&Connection::onContinueSent));
        }
        readBody();
    }

    void onContinueSent(ErrorCode ec, std::size_t) {
        continue_.reset();
        if (ec) return closeNow();
        readBody();
    }

    void readBody() {
        if (parser_->is_done()) return dispatchRequest();
        phase_ = Phase::Body;
        stream_.expires_after(core_.options.bodyTimeout);
        http::async_read(stream_, buffer_, *parser_, bind(&Connection::onBody));
    }

    void onBody(ErrorCode ec, std::size_t) {
        if (ec == http::error::body_limit) {
            return answerAndClose(413, "request body is larger than " +
                                           std::to_string(core_.options.maxBodyBytes) + " bytes");
        }
        if (ec) {
            if (isQuietEnd(ec) || ec == http::error::partial_message) return closeNow();
            return answerAndClose(400, "malformed request body (" + ec.message() + ")");
        }
        dispatchRequest();
    }

    void dispatchRequest() {
        auto& message = parser_->get();
        keepAlive_ = message.keep_alive();
        version_ = message.version();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        if (!splitTarget(request.target, request.path, request.query)) {
            return answerAndClose(400, "the request target is malformed");
        }
        request.headers = std::move(headers_);
        request.body = std::move(message.body());
        request.peerAddress = peerAddress_;
        parser_.reset();

        phase_ = Phase::Handling;
        stream_.expires_never();
        {
            std::lock_guard lock(core_.mutex);
            ++core_.handling;
        }
        asio::post(core_.workers, [self = shared_from_this(), request = std::move(request)]() mutable {
            Response response = self->handle(request);
            {
                std::lock_guard lock(self->core_.mutex);
                --self->core_.handling;
            }
            self->core_.quiet.notify_all();
            asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
                self->write(std::move(response));
            });
        });
    }

    Response handle(const Request& request) {
        try {
            return core_.handler(request);
        } catch (const std::exception& e) {
            log().error("%s %s: unhandled: %s", request.method, request.path, std::string(e.what()));
        } catch (...) {
            log().error("%s %s: unhandled exception", request.method, request.path);
        }
        return core_.errorResponse(500, "internal error");
    }

    void answerAndClose(int status, const std::string& message) {
        keepAlive_ = false;
        write(core_.errorResponse(status, message));
    }

    void write(Response response) {
        const bool keep = keepAlive_ && !response.closeConnection && !core_.draining;
        auto& out = response_.emplace();
        out.version(version_);
        out.result(static_cast<unsigned>(response.status));
        for (auto& h : response.headers) out.insert(h.name, h.value);
        out.body() = std::move(response.body);
        out.keep_alive(keep);
        out.prepare_payload();
        keepAlive_ = keep;
        phase_ = Phase::Writing;
        stream_.expires_after(core_.options.writeTimeout);
        http::async_write(stream_, out, bind(&Connection::onWritten));
    }

    void onWritten(ErrorCode ec, std::size_t) {
        response_.reset();
        if (ec) return closeNow();
        if (!keepAlive_) return lingerAndClose();
        nextRequest(false);
    }

    // Half-close, then drop what the client still sends until it closes too (or for a moment).
    void lingerAndClose() {
        phase_ = Phase::Closing;
        ErrorCode ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(kLingerTime);
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(kReadChunk), bind(&Connection::onLinger));
    }

    void onLinger(ErrorCode ec, std::size_t bytes) {
        lingered_ += bytes;
        if (ec || lingered_ > kLingerBytes) return closeNow();
        stream_.async_read_some(buffer_.prepare(kReadChunk), bind(&Connection::onLinger));
    }

    void closeNow() {
        phase_ = Phase::Closing;
        ErrorCode ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    HttpServer::Core& core_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> response_;
    std::optional<http::response<http::empty_body>> continue_;
    std::vector<Header> headers_;
    std::string peerAddress_;
    Phase phase_ = Phase::Idle;
    bool keepAlive_ = false;
    unsigned version_ = 11;
    std::size_t lingered_ = 0;
    bool registered_ = false;
    std::list<std::weak_ptr<Connection>>::iterator self_;
};

// ---------------------------------------------------------------------------------------------
// Listener

namespace {

void acceptNext(HttpServer::Core& core);

// Past maxConnections, or while draining before the listener closes: a short answer written
// without waiting, and the socket closed. The message says which.
void refuseConnection(HttpServer::Core& core, tcp::socket& socket) {
    const Response refusal = core.errorResponse(
        503, core.draining ? "the server is shutting down; retry shortly"
                           : "the server has too many open connections; retry shortly");
    std::string text = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n";
    for (const auto& h : refusal.headers) text += h.name + ": " + h.value + "\r\n";
    text += "Content-Length: " + std::to_string(refusal.body.size()) + "\r\n\r\n" + refusal.body;
    ErrorCode ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(text), ignored);
    socket.close(ignored);
}

void onAccept(HttpServer::Core& core, ErrorCode ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !core.acceptor->is_open()) return;
    if (ec) {
        // Out of descriptors (EMFILE/ENFILE) or a transient error: try again shortly rather
        // than spin.
        log().warning("cannot accept a connection: %s", ec.message());
        core.acceptRetry->expires_after(kAcceptBackoff);
        core.acceptRetry->async_wait([&core](ErrorCode wait) {
            if (!wait) acceptNext(core);
        });
        return;
    }
    if (core.open.load() >= core.options.maxConnections || core.draining) {
        refuseConnection(core, socket);
    } else {
        core.open.fetch_add(1);
        ErrorCode ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Connection>(core, std::move(socket))->start();
    }
    acceptNext(core);
}

void acceptNext(HttpServer::Core& core) {
    core.acceptor->async_accept(asio::make_strand(*core.io), [&core](ErrorCode ec, tcp::socket socket) {
        onAccept(core, ec, std::move(socket));
    });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// HttpServer

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, ErrorResponder errors)
    : core_(std::make_unique<Core>(std::move(options), std::move(handler), std::move(errors))) {}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

int HttpServer::start() {
    const ServerOptions& o = core_->options;
    ErrorCode ec;
    const auto address = asio::ip::make_address(o.host, ec);
    if (ec) throw std::runtime_error("server.listen: \"" + o.host + "\" is not an IP address");
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
    tcp::acceptor& acceptor = *core_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    // SO_REUSEADDR lets a restarted hub bind while old connections are in TIME_WAIT; it does
    // not let two processes listen on one address (that would be SO_REUSEPORT, not set).
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        const std::string where = o.host + ":" + std::to_string(o.port);
        if (ec == asio::error::address_in_use) {
            throw std::runtime_error("cannot listen on " + where +
                                     ": the address is already in use (is another smb-hub running?)");
        }
        throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    }
    const int port = acceptor.local_endpoint().port();
    core_->work.emplace(core_->io->get_executor());
    acceptNext(*core_);
    for (int i = 0; i < std::max(1, o.ioThreads); ++i) {
        core_->ioThreads.emplace_back([core = core_.get()] {
            while (true) {
                try {
                    core->io->run();
                    return;
                } catch (const std::exception& e) {
                    log().error("I/O thread: %s", std::string(e.what()));
                }
            }
        });
    }
    return port;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    Core& core = *core_;
    if (core.stopped) return;
    core.stopped = true;
    core.draining = true;
    if (!core.ioThreads.empty()) {
        asio::post(*core.io, [&core] {
            ErrorCode ignored;
            core.acceptor->close(ignored);
            core.acceptRetry->cancel();
        });
        std::vector<std::shared_ptr<Connection>> live;
        {
            std::lock_guard lock(core.mutex);
            for (auto& weak : core.connections) {
                if (auto c = weak.lock()) live.push_back(std::move(c));
            }
        }
        for (auto& c : live) c->drain();
        live.clear();
        std::unique_lock lock(core.mutex);
        core.quiet.wait_for(lock, grace, [&] { return core.handling == 0 && core.open.load() == 0; });
    }
    core.work.reset();
    core.io->stop();
    for (auto& t : core.ioThreads) {
        if (t.joinable()) t.join();
    }
    core.ioThreads.clear();
    // Handlers still running finish (their answers are queued on the stopped io_context and
    // dropped with it).
    core.workers.join();
    core.acceptRetry.reset();
    core.acceptor.reset();
    core.io.reset();
}

std::size_t HttpServer::openConnections() const { return core_->open.load(); }

}  // namespace smbhub::server
