// What a handler answers. HttpServer adds the framing (Content-Length, Connection) itself;
// a handler sets the status, its own headers and the body.
//
// Thread-safety: a value: filled by the one worker thread that runs the handler, then written by an
// I/O thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/Request.h"

namespace smbhub::server {

struct Response {
    int status = 200;
    std::vector<Header> headers;
    std::string body;
    // Close the connection after this response (the request was not read to its end, or the
    // server is draining).
    bool closeConnection = false;

    // Sets header `name`, replacing an earlier value of it.
    void set(std::string_view name, std::string value);
    void add(std::string name, std::string value) { headers.push_back({std::move(name), std::move(value)}); }
};

}  // namespace smbhub::server
