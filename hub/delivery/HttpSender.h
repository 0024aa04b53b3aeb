// Outbound HTTP(S) for deliveries, behind one small interface so the transport can change.
//
// `send` never blocks the caller: the request runs on the sender's own I/O threads and `done` is
// called exactly once, on one of those threads, with the response or the reason there is none.
// Many requests can be outstanding at once; a slow or hanging receiver only holds its own
// connection until `timeout`, never a thread. Connections are kept alive and reused per
// (host, port). Redirects are never followed (a 3xx is just a response).
//
// Network rules (SPEC §11) are applied here at connect time, after DNS resolution: unless
// `allowPrivateNetworks`, an address that is loopback, private, link-local, unique-local,
// multicast, unspecified or a cloud-metadata address is refused, and the peer address of the
// connected socket is checked again. `resolve` overrides DNS for a host (like curl --resolve)
// while TLS is still verified against the original host name.
//
// Details the implementation guarantees (delivery/outbound/, one file per piece):
// - `host` may be a name, an IPv4 literal or an IPv6 literal with or without brackets.
// - `resolve` only replaces DNS: its addresses obey the private-network rule like any other.
// - `error` empty means a complete response, however the server wrote it: head and body in
//   separate writes, chunked, or close-delimited (ended by closing the connection, with or
//   without TLS close_notify); interim 1xx responses are skipped. When the status line and
//   headers arrived but the body did not (larger than 1 MiB, timeout, connection lost),
//   `status`, `headers` and `bodyPrefix` are kept and `error` says what went wrong. A body over
//   1 MiB is read no further ("response body larger than 1 MiB (not read further)") and its
//   connection is closed.
// - The response is read while the request is still being written: a server that answers from
//   the head alone (401, 413) and drops the connection with the body unread is reported with
//   its answer, not with the failed write. Such a connection is never reused.
// - After stop(), `send` completes at once, on the calling thread, with "sender stopped";
//   requests still outstanding during stop() complete from within stop().
//
// Thread-safety: send() and stop() may be called from any thread, also from within a completion.
// HttpRequest, HttpResponse and HttpSenderOptions are values.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace smbhub::delivery {

struct HttpRequest {
    std::string scheme = "https";  // "https", or "http" when allowHttp
    std::string host;               // as in the URL; SNI and certificate name
    std::uint16_t port = 443;
    std::string target = "/";       // path and query
    std::vector<std::pair<std::string, std::string>> headers;  // besides Host/Content-Length
    std::string body;
    std::chrono::milliseconds timeout{10000};  // whole exchange, connect to last byte
};

struct HttpResponse {
    int status = 0;                  // 0 when there is no response
    std::vector<std::pair<std::string, std::string>> headers;
    std::string bodyPrefix;          // at most the first 1 KiB of the body
    std::string error;               // transport failure (timeout, TLS, refused address, …)
    std::chrono::milliseconds duration{0};
};

struct HttpSenderOptions {
    std::string caFile;              // extra trusted CA bundle; system trust store always used
    bool allowHttp = false;
    bool allowPrivateNetworks = false;
    std::map<std::string, std::string> resolve;  // host -> "ip:port"
    int ioThreads = 1;
    std::size_t maxIdlePerHost = 64;  // idle keep-alive connections kept per (host, port)
                                      // (trimmed once a second, so bursts of completions can
                                      // hand their connections to the next requests)
};

class HttpSender {
public:
    using Completion = std::function<void(HttpResponse)>;
    virtual ~HttpSender() = default;
    virtual void send(HttpRequest request, Completion done) = 0;
    // Stops the I/O threads; outstanding requests complete with an error first.
    virtual void stop() = 0;
};

// The Boost.Asio + Beast implementation (delivery/outbound/AsioHttpSender).
std::unique_ptr<HttpSender> makeAsioHttpSender(const HttpSenderOptions& options);

}  // namespace smbhub::delivery
