// One HTTP request as the front door hands it to the API: the head as sent, the path already
// percent-decoded, and the whole body (read within the size limit before any handler runs, so
// no byte of it can ever be taken for the next request on the connection).
//
// Thread-safety: a plain value, built by HttpServer on its I/O thread, then read by one handler
// thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbhub::server {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method;       // "GET", "POST", … as sent (methods are case-sensitive)
    std::string target;       // as sent: "/api/integrations?x=1"
    std::string path;         // percent-decoded path of the target
    std::string query;        // the raw query string, without '?'
    std::vector<Header> headers;
    std::string body;
    std::string peerAddress;  // the client's IP address (the proxy's, behind one)

    // The first value of header `name` (case-insensitive), or "".
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
    // The value of cookie `name` from the Cookie headers, if sent.
    std::optional<std::string> cookie(std::string_view name) const;
    // The query's parameters, percent-decoded (the last of repeated names wins).
    std::map<std::string, std::string> queryParameters() const;
};

}  // namespace smbhub::server
