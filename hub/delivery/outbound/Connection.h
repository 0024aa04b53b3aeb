// One outbound connection: a TCP socket or a TLS stream over one, its read buffer (bytes the
// server sent past the last response stay here), why the server's certificate was refused if it
// was, and since when it has been idle while kept alive (IdleConnections).
//
// TLS connections verify the peer against the sender's trust store and the destination's host
// name (or IP literal); the verify callback records the first failure in words, because
// OpenSSL's own error only says "certificate verify failed".
//
// Thread-safety: none. A connection belongs to one Exchange at a time and is used on that
// exchange's strand; between exchanges it sits in IdleConnections, which hands it to one taker.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <variant>

namespace smbhub::delivery::outbound {

class Connection {
public:
    // Beast's wrapper coalesces a message's buffers into one TLS record per write; a plain
    // ssl::stream would send the header and the body as separate records and segments.
    using TlsStream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

    // `tls` null: plain TCP. `host` is the name (or IP literal) the certificate must be valid for.
    Connection(boost::asio::io_context& io, boost::asio::ssl::context* tls, const std::string& host);

    boost::asio::ip::tcp::socket& socket();

    TlsStream* tls() { return std::get_if<TlsStream>(&stream_); }

    // Calls `operation` with the stream to read and write: the TLS stream or the socket.
    template <class Operation>
    void visit(Operation&& operation) {
        std::visit(std::forward<Operation>(operation), stream_);
    }

    // An idle keep-alive connection must have nothing to read: readable means the server has
    // closed it (FIN, reset or TLS close_notify), so it would fail on the next request.
    bool looksAlive();

    void close();

    boost::beast::flat_buffer buffer;
    std::string verifyFailure;  // why the certificate was refused, for the error message
    std::chrono::steady_clock::time_point idleSince;

private:
    std::variant<std::monostate, boost::asio::ip::tcp::socket, TlsStream> stream_;
};

}  // namespace smbhub::delivery::outbound
