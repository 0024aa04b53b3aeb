// One API request as route handlers see it: the HTTP request (head and whole body, already read
// within the size limit), the response being built, path parameters and the caller.
//
// Thread-safety: one per request, used only by the worker thread that handles it.
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "auth/Caller.h"
#include "server/Request.h"
#include "server/Response.h"

namespace smbhub::api {

struct ApiRequest {
    const server::Request& http;
    server::Response& response;
    std::map<std::string, std::string> params;
    auth::Caller caller;

    const std::string& body() const { return http.body; }
    const std::string& param(const std::string& name) const { return params.at(name); }
    // The calling account; only on routes that require one.
    const store::Account& account() const { return *caller.account; }
    // The body as a JSON object: 415 for another content type, 400 for anything but one
    // strictly valid JSON object (core/StrictJson: no duplicate keys, exact numbers, UTF-8).
    Poco::JSON::Object::Ptr jsonBody() const;
    // A JSON object body if one was sent, else an empty object (for optional bodies).
    Poco::JSON::Object::Ptr optionalJsonBody() const;
};

// Whether a Content-Type header names application/json (parameters such as charset allowed).
bool isJsonContentType(const std::string& contentType);

}  // namespace smbhub::api
