// Turning a host into the addresses to connect to: the blocking getaddrinfo lookup (run by the
// sender off its I/O threads, see SenderState) and the `delivery.resolve` entries that replace it
// for a host. Which of the addresses may be used is not decided here (destinations/AddressPolicy,
// applied by the Exchange).
//
// Thread-safety: Lookup is a value; lookupHost and parseOverride may be called from any thread
// (getaddrinfo is thread-safe on glibc).
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace smbhub::delivery::outbound {

struct Lookup {
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // IPv4 and IPv6, no duplicates
    std::string error;  // for the delivery log ("could not resolve host …"); "" on success
};

// Blocks until the system resolver answers.
Lookup lookupHost(const std::string& host, std::uint16_t port);

// One `delivery.resolve` entry: "ip:port" or "[ipv6]:port". Throws std::invalid_argument naming
// the entry when it is neither.
boost::asio::ip::tcp::endpoint parseOverride(const std::string& host, const std::string& value);

}  // namespace smbhub::delivery::outbound
