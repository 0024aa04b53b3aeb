#include "delivery/outbound/TransportErrors.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

namespace smbhub::delivery::outbound {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using ErrorCode = boost::system::error_code;

bool isHttpError(const ErrorCode& ec) {
    return ec.category() == http::make_error_code(http::error::bad_version).category();
}

// The server ended the connection: FIN, broken pipe, TLS stream truncated, a message cut short.
bool isClosedByPeer(const ErrorCode& ec) {
    return ec == asio::error::eof || ec == http::error::end_of_stream ||
           ec == http::error::partial_message || ec == ssl::error::stream_truncated ||
           ec == asio::error::broken_pipe;
}

}  // namespace

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

std::string notAllowed(const asio::ip::address& address) {
    return "destination address " + address.to_string() + " is not allowed (private network)";
}

}  // namespace smbhub::delivery::outbound
