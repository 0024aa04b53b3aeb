// Transport failures in words: the short sentences the customer's delivery log shows for a
// refused, reset or closed connection, a TLS or handshake failure, an invalid or oversized
// response, or an address the network rules refuse.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

#include <string>

#include "delivery/outbound/Connection.h"

namespace smbhub::delivery::outbound {

std::string describe(const boost::system::error_code& ec);

// A failed TLS handshake on `connection`, naming the certificate problem when there was one.
std::string describeHandshake(const boost::system::error_code& ec, const Connection& connection);

std::string notAllowed(const boost::asio::ip::address& address);

}  // namespace smbhub::delivery::outbound
