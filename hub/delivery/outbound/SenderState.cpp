#include "delivery/outbound/SenderState.h"

#include <algorithm>
#include <stdexcept>

#include "delivery/outbound/Destination.h"
#include "delivery/outbound/DnsLookup.h"

namespace smbhub::delivery::outbound {
namespace {

namespace ssl = boost::asio::ssl;

// getaddrinfo blocks; several threads keep one slow lookup from holding up the others.
constexpr std::size_t kDnsThreads = 4;

ssl::context makeTlsContext(const std::string& caFile) {
    ssl::context context(ssl::context::tls_client);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                        ssl::context::no_tlsv1_1 | ssl::context::no_compression);
    context.set_verify_mode(ssl::verify_peer);
    context.set_default_verify_paths();
    if (!caFile.empty()) {
        boost::system::error_code ec;
        context.load_verify_file(caFile, ec);
        if (ec) throw std::runtime_error("cannot load CA file " + caFile + ": " + ec.message());
    }
    return context;
}

}  // namespace

SenderState::SenderState(const HttpSenderOptions& opts)
    : options(opts),
      tls(makeTlsContext(opts.caFile)),
      idle(opts.maxIdlePerHost) {
    for (const auto& [host, value] : opts.resolve) {
        overrides.emplace(lowerCase(stripBrackets(host)), parseOverride(host, value));
    }
    io.emplace(std::max(1, opts.ioThreads));
    dns.emplace(kDnsThreads);
}

}  // namespace smbhub::delivery::outbound
