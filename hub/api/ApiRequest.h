// One API request as handlers see it: the HTTP exchange, path parameters, the caller, and the
// body (already read within the size limit).
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <map>
#include <optional>
#include <string>

#include "auth/Caller.h"

namespace smbhub::api {

struct ApiRequest {
    Poco::Net::HTTPServerRequest& http;
    Poco::Net::HTTPServerResponse& response;
    std::map<std::string, std::string> params;
    std::string body;
    auth::Caller caller;

    const std::string& param(const std::string& name) const { return params.at(name); }
    // The calling account; only on routes that require one.
    const store::Account& account() const { return *caller.account; }
    // The body as a JSON object: 415 for another content type, 400 for anything but an object.
    Poco::JSON::Object::Ptr jsonBody() const;
    // A JSON object body if one was sent, else an empty object (for optional bodies).
    Poco::JSON::Object::Ptr optionalJsonBody() const;
};

}  // namespace smbhub::api
