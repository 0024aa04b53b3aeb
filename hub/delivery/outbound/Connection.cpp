#include "delivery/outbound/Connection.h"

#include <poll.h>
#include <openssl/x509_vfy.h>

namespace smbhub::delivery::outbound {
namespace {

namespace ssl = boost::asio::ssl;

std::string describeVerifyFailure(bool preverified, ssl::verify_context& context,
                                  const std::string& host) {
    if (preverified) {
        return "certificate verify failed (certificate is not valid for " + host + ")";
    }
    const int error = X509_STORE_CTX_get_error(context.native_handle());
    return std::string("certificate verify failed (") + X509_verify_cert_error_string(error) + ")";
}

}  // namespace

Connection::Connection(boost::asio::io_context& io, ssl::context* tls, const std::string& host) {
    if (tls == nullptr) {
        stream_.emplace<boost::asio::ip::tcp::socket>(io);
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

boost::asio::ip::tcp::socket& Connection::socket() {
    if (auto* tls = std::get_if<TlsStream>(&stream_)) return tls->next_layer();
    return std::get<boost::asio::ip::tcp::socket>(stream_);
}

bool Connection::looksAlive() {
    pollfd entry{socket().native_handle(), POLLIN, 0};
    return buffer.size() == 0 && ::poll(&entry, 1, 0) == 0;
}

void Connection::close() {
    boost::system::error_code ignored;
    socket().close(ignored);
}

}  // namespace smbhub::delivery::outbound
