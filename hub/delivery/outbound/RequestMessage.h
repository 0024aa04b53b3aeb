// The HTTP/1.1 message written for one request: POST, the target, the Host header of its
// Destination, the caller's headers and the body with its Content-Length. Header injection is
// refused rather than written to the wire, and the framing headers (Host, Content-Length,
// Transfer-Encoding, Connection) are the sender's own: a caller's copy is left out.
//
// Thread-safety: RequestMessage is a value; buildRequest is a pure function of its arguments.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "delivery/HttpSender.h"
#include "delivery/outbound/Destination.h"

namespace smbhub::delivery::outbound {

using RequestMessage = boost::beast::http::request<boost::beast::http::string_body>;

// Moves the target and body out of `input` into `out`; an error sentence for the delivery log
// (invalid path, invalid header) or "".
std::string buildRequest(HttpRequest& input, const Destination& destination, RequestMessage& out);

}  // namespace smbhub::delivery::outbound
