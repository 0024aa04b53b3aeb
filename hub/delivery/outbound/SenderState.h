// What every exchange of one sender shares: its options, the `delivery.resolve` overrides, the
// TLS client context (system trust store plus `delivery.caFile`), the io_context its I/O threads
// run, the small thread pool for blocking DNS lookups (several, so one slow lookup does not hold
// up the others) and the idle keep-alive connections.
//
// Thread-safety: built and torn down by AsioHttpSender alone (io and dns explicitly, in
// dependency order, by its shutdown). While the sender runs, exchanges on any thread read
// options, overrides and tls without locking (never changed after construction), post to io and
// dns (thread-safe) and use `idle` (thread-safe).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <map>
#include <optional>
#include <string>

#include "delivery/HttpSender.h"
#include "delivery/outbound/IdleConnections.h"

namespace smbhub::delivery::outbound {

struct SenderState {
    // Throws std::invalid_argument for a malformed `resolve` entry and std::runtime_error for a
    // CA file that cannot be loaded.
    explicit SenderState(const HttpSenderOptions& options);

    HttpSenderOptions options;
    std::map<std::string, boost::asio::ip::tcp::endpoint> overrides;  // lower-case host -> endpoint
    boost::asio::ssl::context tls;
    std::optional<boost::asio::io_context> io;
    std::optional<boost::asio::thread_pool> dns;
    IdleConnections idle;
};

}  // namespace smbhub::delivery::outbound
