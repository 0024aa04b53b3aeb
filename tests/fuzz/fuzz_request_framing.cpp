// libFuzzer: bytes from a client, through the front door's parsing: Beast's request parser with
// the server's limits, then the framing rules (server/RequestFraming). Nothing may crash, and a
// head the rules accept must have an unambiguous body length.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/RequestFraming.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(32 * 1024);
    parser.body_limit(1024 * 1024);
    boost::system::error_code ec;
    std::size_t used = 0;
    const char* bytes = reinterpret_cast<const char*>(data);
    // Feed in two pieces, as the network would, so partial parses are exercised too.
    const std::size_t split = size / 2;
    used += parser.put(boost::asio::buffer(bytes, split), ec);
    if (ec == http::error::need_more) ec = {};
    if (!ec && !parser.is_done()) used += parser.put(boost::asio::buffer(bytes + used, size - used), ec);
    if (!parser.is_header_done()) return 0;
    std::vector<smbhub::server::Header> headers;
    for (const auto& field : parser.get()) {
        headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    const int minor = parser.get().version() == 10 ? 0 : 1;
    const auto verdict = smbhub::server::checkFraming(minor, headers, 1024 * 1024);
    if (verdict.ok() && verdict.framing == smbhub::server::BodyFraming::Length && !parser.chunked() &&
        parser.content_length() && *parser.content_length() != verdict.contentLength) {
        std::abort();  // the server and Beast would disagree on where the body ends
    }
    if (verdict.ok() && verdict.framing == smbhub::server::BodyFraming::Chunked && !parser.chunked()) {
        std::abort();
    }
    return 0;
}
