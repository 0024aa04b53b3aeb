// HttpSender on Boost.Asio + Beast: one io_context run by `ioThreads` threads, one strand per
// request (an "exchange"), a keep-alive pool per (scheme, host, port) and a small thread pool
// for blocking getaddrinfo calls. The pieces, in the order a request meets them:
//   Destination      the request's scheme/host/port, normalised and checked
//   DNS lookup       resolve-map override, IP literal, or getaddrinfo off the I/O threads
//   Connection       a TCP or TLS stream with its read buffer and certificate-check outcome
//   ConnectionPool   idle keep-alive connections, newest first
//   PrefixBody       a Beast body that keeps the first 1 KiB of a response and counts the rest
//   Exchange         one request from send() to `done`, with its deadline
//   AsioHttpSender   threads, shared state, start and stop
#include "delivery/HttpSender.h"

#include <poll.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <variant>

#include "delivery/AddressPolicy.h"

namespace smbhub::delivery {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

constexpr std::size_t kBodyPrefixBytes = 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// Idle connections older than this are closed: most servers drop theirs sooner, and a pool
// for hosts that are no longer called should not hold sockets forever.
constexpr auto kIdleLifetime = std::chrono::seconds(30);
constexpr auto kSweepInterval = std::chrono::seconds(1);
// getaddrinfo blocks; several threads keep one slow lookup from holding up the others.
constexpr std::size_t kDnsThreads = 4;
constexpr const char* kStoppedError = "sender stopped before the request completed";

std::string lowerCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Names, IPv4 and IPv6 literals (and IPv6 zone ids); anything else could corrupt the Host header.
bool isValidHost(const std::string& host) {
    return std::all_of(host.begin(), host.end(), [](char c) {
        return isAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '%';
    });
}

std::string stripBrackets(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return std::string(host);
}

bool isIpLiteral(const std::string& host) {
    ErrorCode ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

std::string notAllowed(const asio::ip::address& address) {
    return "destination address " + address.to_string() + " is not allowed (private network)";
}

// ---------------------------------------------------------------------------------------------
// Destination

struct Destination {
    bool tls = true;
    std::string host;        // lower case, no brackets: DNS, SNI and certificate name
    std::uint16_t port = 0;
    std::string hostHeader;  // as the Host header writes it: "[::1]:8443", "example.com"
    std::string poolKey;     // connections are only shared between identical destinations
};

std::string makeDestination(const HttpRequest& request, bool allowHttp, Destination& out) {
    const std::string scheme = lowerCase(request.scheme);
    if (scheme == "http") {
        if (!allowHttp) return "plain http is not allowed; the target URL must use https";
        out.tls = false;
    } else if (scheme != "https") {
        return "unsupported URL scheme \"" + request.scheme + "\"";
    }
    out.host = lowerCase(stripBrackets(request.host));
    if (out.host.empty()) return "the target URL has no host";
    if (!isValidHost(out.host)) return "the target URL has an invalid host";
    if (request.port == 0) return "the target URL has an invalid port";
    out.port = request.port;
    const bool ipv6 = out.host.find(':') != std::string::npos;
    out.hostHeader = ipv6 ? "[" + out.host + "]" : out.host;
    if (out.port != (out.tls ? 443 : 80)) out.hostHeader += ":" + std::to_string(out.port);
    out.poolKey = scheme + "://" + out.hostHeader;
    return {};
}

// ---------------------------------------------------------------------------------------------
// Request building: header injection is refused rather than written to the wire.

bool isTokenChar(char c) {
    return isAsciiAlnum(c) || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool isValidHeaderName(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), isTokenChar);
}

bool isValidHeaderValue(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](char c) {
        return c == '\r' || c == '\n' || c == '\0';
    });
}

bool isValidTarget(const std::string& target) {
    return !target.empty() && target.front() == '/' &&
           std::none_of(target.begin(), target.end(), [](char c) {
               const auto byte = static_cast<unsigned char>(c);
               return byte <= 0x20 || byte == 0x7F;
           });
}

// Framing headers are the sender's own; a caller's copy would contradict the real framing.
bool isFramingHeader(const std::string& name) {
    return beast::iequals(name, "host") || beast::iequals(name, "content-length") ||
           beast::iequals(name, "transfer-encoding") || beast::iequals(name, "connection");
}

std::string buildRequest(HttpRequest& input, const Destination& destination,
                         http::request<http::string_body>& out) {
    std::string target = input.target.empty() ? std::string("/") : std::move(input.target);
    if (!isValidTarget(target)) return "the target URL has an invalid path";
    out.method(http::verb::post);
    out.target(target);
    out.version(11);
    out.set(http::field::host, destination.hostHeader);
    for (const auto& [name, value] : input.headers) {
        if (!isValidHeaderName(name) || !isValidHeaderValue(value)) {
            return "invalid request header \"" + name + "\"";
        }
        if (!isFramingHeader(name)) out.insert(name, value);
    }
    out.body() = std::move(input.body);
    out.content_length(out.body().size());
    return {};
}

// ---------------------------------------------------------------------------------------------
// DNS lookup

struct Lookup {
    std::vector<tcp::endpoint> endpoints;
    std::string error;
};

std::optional<tcp::endpoint> endpointFrom(const addrinfo& info, std::uint16_t port) {
    tcp::endpoint endpoint;
    if (info.ai_addrlen > endpoint.capacity()) return std::nullopt;
    std::memcpy(endpoint.data(), info.ai_addr, info.ai_addrlen);
    endpoint.resize(info.ai_addrlen);
    endpoint.port(port);
    return endpoint;
}

Lookup lookupHost(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    Lookup result;
    if (rc == EAI_NONAME || rc == EAI_NODATA) {
        result.error = "could not resolve host " + host;
    } else if (rc != 0) {
        result.error = "DNS lookup for " + host + " failed: " + ::gai_strerror(rc);
    }
    if (rc != 0) return result;
    for (const addrinfo* info = list; info != nullptr; info = info->ai_next) {
        if (info->ai_family != AF_INET && info->ai_family != AF_INET6) continue;
        const auto endpoint = endpointFrom(*info, port);
        if (endpoint && std::find(result.endpoints.begin(), result.endpoints.end(), *endpoint) ==
                            result.endpoints.end()) {
            result.endpoints.push_back(*endpoint);
        }
    }
    ::freeaddrinfo(list);
    if (result.endpoints.empty()) result.error = "could not resolve host " + host;
    return result;
}

// "ip:port" or "[ipv6]:port", as delivery.resolve writes it.
tcp::endpoint parseOverride(const std::string& host, const std::string& value) {
    const auto colon = value.rfind(':');
    const auto fail = [&]() -> std::invalid_argument {
        return std::invalid_argument("delivery.resolve: \"" + value + "\" for host " + host +
                                     " is not ip:port");
    };
    if (colon == std::string::npos) throw fail();
    ErrorCode ec;
    const auto address = asio::ip::make_address(stripBrackets(value.substr(0, colon)), ec);
    const std::string portText = value.substr(colon + 1);
    if (ec || portText.empty() || portText.size() > 5 ||
        !std::all_of(portText.begin(), portText.end(), isAsciiDigit)) {
        throw fail();
    }
    const int port = std::stoi(portText);
    if (port < 1 || port > 65535) throw fail();
    return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

// ---------------------------------------------------------------------------------------------
// Connection

std::string describeVerifyFailure(bool preverified, ssl::verify_context& context,
                                  const std::string& host) {
    if (preverified) {
        return "certificate verify failed (certificate is not valid for " + host + ")";
    }
    const int error = X509_STORE_CTX_get_error(context.native_handle());
    return std::string("certificate verify failed (") + X509_verify_cert_error_string(error) + ")";
}

class Connection {
public:
    // Beast's wrapper coalesces a message's buffers into one TLS record per write; a plain
    // ssl::stream would send the header and the body as separate records and segments.
    using TlsStream = beast::ssl_stream<tcp::socket>;

    Connection(asio::io_context& io, ssl::context* tls, const std::string& host) {
        if (tls == nullptr) {
            stream_.emplace<tcp::socket>(io);
            return;
        }
        auto& stream = stream_.emplace<TlsStream>(io, *tls);
        stream.set_verify_mode(ssl::verify_peer);
        stream.set_verify_callback(
            [this, host, check = ssl::host_name_verification(host)](
                bool preverified, ssl::verify_context& context) {
                const bool ok = check(preverified, context);
                if (!ok && verifyFailure.empty()) {
                    verifyFailure = describeVerifyFailure(preverified, context, host);
                }
                return ok;
            });
    }

    tcp::socket& socket() {
        if (auto* tls = std::get_if<TlsStream>(&stream_)) return tls->next_layer();
        return std::get<tcp::socket>(stream_);
    }

    TlsStream* tls() { return std::get_if<TlsStream>(&stream_); }

    template <class Operation>
    void visit(Operation&& operation) {
        std::visit(std::forward<Operation>(operation), stream_);
    }

    // An idle keep-alive connection must have nothing to read: readable means the server has
    // closed it (FIN, reset or TLS close_notify), so it would fail on the next request.
    bool looksAlive() {
        pollfd entry{socket().native_handle(), POLLIN, 0};
        return buffer.size() == 0 && ::poll(&entry, 1, 0) == 0;
    }

    void close() {
        ErrorCode ignored;
        socket().close(ignored);
    }

    beast::flat_buffer buffer;
    std::string verifyFailure;  // why the certificate was refused, for the error message
    Clock::time_point idleSince;

private:
    std::variant<std::monostate, tcp::socket, TlsStream> stream_;
};

// ---------------------------------------------------------------------------------------------
// ConnectionPool. Idle connections are trimmed to maxIdlePerKey by the periodic sweep rather
// than on return: completions arrive in bursts (one epoll wake-up finishes many exchanges before
// their follow-up requests start), and closing the surplus at once would cost a TLS handshake
// for each of those follow-ups.

class ConnectionPool {
public:
    explicit ConnectionPool(std::size_t maxIdlePerKey) : maxIdlePerKey_(maxIdlePerKey) {}

    // The newest idle connection that still looks usable, or null.
    std::shared_ptr<Connection> take(const std::string& key) {
        while (auto connection = pop(key)) {
            if (Clock::now() - connection->idleSince < kIdleLifetime && connection->looksAlive()) {
                return connection;
            }
        }
        return nullptr;
    }

    void give(const std::string& key, std::shared_ptr<Connection> connection) {
        connection->idleSince = Clock::now();
        std::lock_guard lock(mutex_);
        idle_[key].push_back(std::move(connection));
    }

    // Closes connections idle for too long and the oldest beyond maxIdlePerKey.
    void sweep() {
        std::vector<std::shared_ptr<Connection>> closing;  // destroyed outside the lock
        const auto now = Clock::now();
        std::lock_guard lock(mutex_);
        for (auto it = idle_.begin(); it != idle_.end();) {
            auto& list = it->second;  // oldest first
            auto keepFrom = std::find_if(list.begin(), list.end(), [&](const auto& connection) {
                return now - connection->idleSince < kIdleLifetime;
            });
            const auto remaining = static_cast<std::size_t>(std::distance(keepFrom, list.end()));
            if (remaining > maxIdlePerKey_) {
                keepFrom += static_cast<std::ptrdiff_t>(remaining - maxIdlePerKey_);
            }
            std::move(list.begin(), keepFrom, std::back_inserter(closing));
            list.erase(list.begin(), keepFrom);
            it = list.empty() ? idle_.erase(it) : std::next(it);
        }
    }

    void clear() {
        std::lock_guard lock(mutex_);
        idle_.clear();
    }

private:
    std::shared_ptr<Connection> pop(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = idle_.find(key);
        if (it == idle_.end() || it->second.empty()) return nullptr;
        auto connection = std::move(it->second.back());
        it->second.pop_back();
        return connection;
    }

    const std::size_t maxIdlePerKey_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::vector<std::shared_ptr<Connection>>> idle_;
};

// ---------------------------------------------------------------------------------------------
// PrefixBody: bodies are read to the end (to keep the connection usable) but only the first
// 1 KiB is kept, so hundreds of concurrent large responses cost no memory. It also enforces the
// 1 MiB body limit, after taking the prefix so the delivery log can still show what the server
// said: a body declared larger stops being read once the prefix is in, one that turns out larger
// (chunked, close-delimited) once it passes the limit; either way the connection is closed.
// (Beast 1.74's own body_limit is not used: basic_parser::put drops that error when body bytes
// arrive in the same read as the header, so it would fire or not depending on timing.)

struct PrefixBody {
    struct value_type {
        std::string prefix;
        std::uint64_t received = 0;
    };

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        void init(const boost::optional<std::uint64_t>& contentLength, ErrorCode& ec) {
            ec = {};
            declaredTooLarge_ = contentLength && *contentLength > kBodyLimit;
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, ErrorCode& ec) {
            ec = {};
            std::size_t total = 0;
            for (const auto buffer : beast::buffers_range_ref(buffers)) {
                total += buffer.size();
                const auto room = kBodyPrefixBytes - body_.prefix.size();
                const auto take = std::min(room, buffer.size());
                body_.prefix.append(static_cast<const char*>(buffer.data()), take);
            }
            body_.received += total;
            const bool prefixComplete = body_.prefix.size() == kBodyPrefixBytes;
            if (body_.received > kBodyLimit || (declaredTooLarge_ && prefixComplete)) {
                ec = http::error::body_limit;
            }
            return total;
        }

        void finish(ErrorCode& ec) { ec = {}; }

    private:
        value_type& body_;
        bool declaredTooLarge_ = false;
    };
};

using ResponseParser = http::response_parser<PrefixBody>;

// ---------------------------------------------------------------------------------------------
// Error messages: short sentences for the customer's delivery log.

bool isHttpError(const ErrorCode& ec) {
    return ec.category() == http::make_error_code(http::error::bad_version).category();
}

bool isClosedByPeer(const ErrorCode& ec) {
    return ec == asio::error::eof || ec == http::error::end_of_stream ||
           ec == http::error::partial_message || ec == ssl::error::stream_truncated ||
           ec == asio::error::broken_pipe;
}

std::string describe(const ErrorCode& ec) {
    if (ec == asio::error::connection_refused) return "connection refused";
    if (ec == asio::error::connection_reset) return "connection reset by the server";
    if (isClosedByPeer(ec)) return "connection closed by the server before a complete response";
    if (ec == asio::error::network_unreachable) return "network unreachable";
    if (ec == asio::error::host_unreachable) return "host unreachable";
    if (ec == asio::error::timed_out) return "connection timed out";
    if (ec == http::error::body_limit) return "response body larger than 1 MiB (not read further)";
    if (ec == http::error::header_limit) return "response headers larger than 64 KiB";
    if (isHttpError(ec)) return "invalid HTTP response (" + ec.message() + ")";
    if (ec.category() == asio::error::get_ssl_category()) return "TLS error: " + ec.message();
    return ec.message();
}

std::string describeHandshake(const ErrorCode& ec, const Connection& connection) {
    if (!connection.verifyFailure.empty()) {
        return "TLS handshake failed: " + connection.verifyFailure;
    }
    if (ec.category() == asio::error::get_ssl_category()) {
        return "TLS handshake failed: " + ec.message();
    }
    if (isClosedByPeer(ec)) return "TLS handshake failed: connection closed by the server";
    return "TLS handshake failed: " + describe(ec);
}

void invokeSafely(HttpSender::Completion& done, HttpResponse response) {
    if (!done) return;
    try {
        done(std::move(response));
    } catch (...) {
        // The caller's completion failing is the caller's problem; it must not take the I/O
        // thread (and every other request on it) down.
    }
}

// ---------------------------------------------------------------------------------------------
// Shared state of one sender, used by its exchanges.

struct SenderCore {
    explicit SenderCore(const HttpSenderOptions& options);

    HttpSenderOptions options;
    std::map<std::string, tcp::endpoint> overrides;  // lower-case host -> endpoint
    ssl::context tls;
    // Torn down explicitly, in dependency order, by AsioHttpSender::shutdown().
    std::optional<asio::io_context> io;
    std::optional<asio::thread_pool> dns;
    ConnectionPool pool;
};

ssl::context makeTlsContext(const std::string& caFile) {
    ssl::context context(ssl::context::tls_client);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                        ssl::context::no_tlsv1_1 | ssl::context::no_compression);
    context.set_verify_mode(ssl::verify_peer);
    context.set_default_verify_paths();
    if (!caFile.empty()) {
        ErrorCode ec;
        context.load_verify_file(caFile, ec);
        if (ec) throw std::runtime_error("cannot load CA file " + caFile + ": " + ec.message());
    }
    return context;
}

SenderCore::SenderCore(const HttpSenderOptions& opts)
    : options(opts),
      tls(makeTlsContext(opts.caFile)),
      pool(opts.maxIdlePerHost) {
    for (const auto& [host, value] : opts.resolve) {
        overrides.emplace(lowerCase(stripBrackets(host)), parseOverride(host, value));
    }
    io.emplace(std::max(1, opts.ioThreads));
    dns.emplace(kDnsThreads);
}

// ---------------------------------------------------------------------------------------------
// Exchange: one request. Every step runs on the exchange's strand; `finished_` makes late
// completions (after a timeout or a failure) no-ops, and the destructor guarantees `done` is
// called even when the sender is stopped with the exchange still queued.

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(SenderCore& core, HttpRequest&& input, HttpSender::Completion&& done,
             Clock::time_point started)
        : core_(core),
          input_(std::move(input)),
          done_(std::move(done)),
          started_(started),
          strand_(asio::make_strand(*core.io)),
          deadline_(strand_) {}

    ~Exchange() {
        if (!done_) return;
        HttpResponse response;
        response.error = kStoppedError;
        response.duration = elapsed();
        invokeSafely(done_, std::move(response));
    }

    void start() {
        asio::post(strand_, [self = shared_from_this()] { self->guarded([&] { self->begin(); }); });
    }

private:
    // Binds a step to the strand, keeps the exchange alive until it runs and turns an
    // exception inside it into a failed request.
    template <class... Args>
    auto step(void (Exchange::*member)(Args...)) {
        return asio::bind_executor(strand_, [self = shared_from_this(), member](Args... args) {
            self->guarded([&] { ((*self).*member)(std::forward<Args>(args)...); });
        });
    }

    template <class Body>
    void guarded(Body&& body) {
        try {
            body();
        } catch (const std::exception& e) {
            failQuietly(std::string("internal error: ") + e.what());
        } catch (...) {
            failQuietly("internal error");
        }
    }

    void begin() {
        std::string error = makeDestination(input_, core_.options.allowHttp, destination_);
        if (error.empty()) error = buildRequest(input_, destination_, request_);
        if (!error.empty()) return fail(std::move(error));
        armDeadline();
        if (auto connection = core_.pool.take(destination_.poolKey)) {
            connection_ = std::move(connection);
            reused_ = true;
            return exchange();
        }
        resolve();
    }

    void armDeadline() {
        deadline_.expires_after(input_.timeout);
        deadline_.async_wait(step(&Exchange::onDeadline));
    }

    void onDeadline(ErrorCode ec) {
        if (ec == asio::error::operation_aborted || finished_) return;
        fail("timed out after " + std::to_string(input_.timeout.count()) + " ms");
    }

    void resolve() {
        const auto& host = destination_.host;
        if (auto it = core_.overrides.find(host); it != core_.overrides.end()) {
            return connect({{it->second}, {}});
        }
        ErrorCode ec;
        const auto address = asio::ip::make_address(host, ec);
        if (!ec) return connect({{tcp::endpoint(address, destination_.port)}, {}});
        asio::post(*core_.dns, [self = shared_from_this()] {
            auto lookup = lookupHost(self->destination_.host, self->destination_.port);
            asio::post(self->strand_, [self, lookup = std::move(lookup)]() mutable {
                self->guarded([&] { self->connect(std::move(lookup)); });
            });
        });
    }

    void connect(Lookup lookup) {
        if (finished_) return;
        if (!lookup.error.empty()) return fail(std::move(lookup.error));
        std::vector<tcp::endpoint> allowed;
        for (const auto& endpoint : lookup.endpoints) {
            if (isAllowed(endpoint.address())) allowed.push_back(endpoint);
        }
        if (allowed.empty()) return fail(notAllowed(lookup.endpoints.front().address()));
        connection_ = std::make_shared<Connection>(
            *core_.io, destination_.tls ? &core_.tls : nullptr, destination_.host);
        reused_ = false;
        asio::async_connect(connection_->socket(), std::move(allowed),
                            step(&Exchange::onConnected));
    }

    bool isAllowed(const asio::ip::address& address) const {
        return core_.options.allowPrivateNetworks || !isForbiddenAddress(address.to_string());
    }

    void onConnected(ErrorCode ec, const tcp::endpoint&) {
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

    void handshake() {
        auto& stream = *connection_->tls();
        // SNI carries names only; an IP-literal host is verified against the certificate's
        // IP addresses by host_name_verification instead.
        if (!isIpLiteral(destination_.host) &&
            SSL_set_tlsext_host_name(stream.native_handle(), destination_.host.c_str()) != 1) {
            return fail("TLS handshake failed: invalid server name " + destination_.host);
        }
        stream.async_handshake(ssl::stream_base::client, step(&Exchange::onHandshake));
    }

    void onHandshake(ErrorCode ec) {
        if (finished_) return;
        if (ec) return fail(describeHandshake(ec, *connection_));
        exchange();
    }

    // The request is written and the response read at the same time: a receiver may answer
    // from the request's head alone (401, 413) and drop the connection with the body unread, and
    // then its answer, not the write that failed, is what the delivery log must show.
    // `generation_` tells the operations of the connection in use from those of one given up
    // (the stale-connection retry); each operation keeps its connection and parser alive.
    void exchange() {
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

    void onWritten(std::uint64_t generation, ErrorCode ec) {
        if (finished_ || generation != generation_) return;
        // A failed write leaves the verdict to the read: the server may have answered first.
        if (ec) writeError_ = ec;
        else requestSent_ = true;
    }

    void read(std::uint64_t generation) {
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

    void onRead(std::uint64_t generation, ErrorCode ec) {
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
    bool endsCloseDelimitedBody(const ErrorCode& ec) {
        if (ec != ssl::error::stream_truncated || !parser_->is_header_done() ||
            parser_->chunked() || parser_->content_length()) {
            return false;
        }
        ErrorCode eof;
        parser_->put_eof(eof);
        return !eof && parser_->is_done();
    }

    bool responseStarted() const { return sawInterim_ || (parser_ && parser_->got_some()); }

    void onTransportError(const ErrorCode& ec) {
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

    void succeed() {
        HttpResponse response = takeResponse();
        // Only a connection that carried the whole request and ends with the whole response can
        // take the next one.
        const bool reusable = requestSent_ && parser_->keep_alive() && response.status >= 200 &&
                              connection_->buffer.size() == 0;
        if (reusable) {
            core_.pool.give(destination_.poolKey, std::move(connection_));
        } else {
            connection_->close();
        }
        complete(std::move(response));
    }

    // Status, headers and body prefix of what has been received (nothing if no full header).
    HttpResponse takeResponse() {
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

    void fail(std::string error) {
        if (finished_) return;
        if (connection_) connection_->close();
        HttpResponse response = takeResponse();
        response.error = std::move(error);
        complete(std::move(response));
    }

    void failQuietly(std::string error) noexcept {
        try {
            fail(std::move(error));
        } catch (...) {
            // Out of memory while failing: the destructor still calls `done`.
        }
    }

    void complete(HttpResponse response) {
        finished_ = true;
        deadline_.cancel();
        response.duration = elapsed();
        auto done = std::exchange(done_, nullptr);
        invokeSafely(done, std::move(response));
    }

    std::chrono::milliseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
    }

    SenderCore& core_;
    HttpRequest input_;
    HttpSender::Completion done_;
    const Clock::time_point started_;
    asio::strand<asio::io_context::executor_type> strand_;
    asio::steady_timer deadline_;
    Destination destination_;
    http::request<http::string_body> request_;
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

// ---------------------------------------------------------------------------------------------
// AsioHttpSender

class AsioHttpSender final : public HttpSender {
public:
    explicit AsioHttpSender(const HttpSenderOptions& options)
        : core_(options), work_(asio::make_work_guard(*core_.io)), sweeper_(*core_.io) {
        scheduleSweep();
        const int threads = std::max(1, options.ioThreads);
        threads_.reserve(static_cast<std::size_t>(threads));
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { runIo(); });
    }

    ~AsioHttpSender() override { stop(); }

    void send(HttpRequest request, Completion done) override {
        const auto started = Clock::now();
        std::shared_lock lock(stateMutex_);
        if (stopped_) {
            lock.unlock();
            return refuse(done, started);
        }
        try {
            std::make_shared<Exchange>(core_, std::move(request), std::move(done), started)
                ->start();
        } catch (...) {
            // Only allocation can fail here; if `done` was not handed over yet, answer now.
            lock.unlock();
            refuse(done, started);
        }
    }

    void stop() override {
        {
            std::unique_lock lock(stateMutex_);
            if (!stopped_) {
                stopped_ = true;
                work_.reset();
                core_.io->stop();
            }
        }
        // From a completion on an I/O thread we cannot join ourselves; the destructor will.
        if (!onIoThread()) shutdown();
    }

private:
    static void refuse(Completion& done, Clock::time_point started) {
        HttpResponse response;
        response.error = "sender stopped";
        response.duration =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        invokeSafely(done, std::move(response));
    }

    void runIo() {
        while (true) {
            try {
                core_.io->run();
                return;
            } catch (...) {
                // Exchanges catch their own exceptions; anything else must not end the thread.
            }
        }
    }

    void scheduleSweep() {
        sweeper_->expires_after(kSweepInterval);
        sweeper_->async_wait([this](ErrorCode ec) {
            if (ec) return;
            core_.pool.sweep();
            scheduleSweep();
        });
    }

    bool onIoThread() const {
        const auto self = std::this_thread::get_id();
        return std::any_of(threads_.begin(), threads_.end(),
                           [&](const std::thread& t) { return t.get_id() == self; });
    }

    // Joins the threads, then destroys what still refers to the io_context. Destroying the
    // io_context destroys every handler still queued; with them go the last references to
    // unfinished exchanges, whose destructors call `done` with kStoppedError.
    void shutdown() {
        std::lock_guard lock(shutdownMutex_);
        if (!core_.io) return;
        for (auto& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
        core_.dns->stop();
        core_.dns->join();
        core_.dns.reset();
        sweeper_.reset();
        core_.pool.clear();
        core_.io.reset();
    }

    SenderCore core_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::optional<asio::steady_timer> sweeper_;
    std::vector<std::thread> threads_;
    std::shared_mutex stateMutex_;
    bool stopped_ = false;
    std::mutex shutdownMutex_;
};

}  // namespace

std::unique_ptr<HttpSender> makeAsioHttpSender(const HttpSenderOptions& options) {
    return std::make_unique<AsioHttpSender>(options);
}

}  // namespace smbhub::delivery
