// The one way the API writes a response body.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

#include "api/ApiError.h"

namespace smbhub::api {

void sendJson(Poco::Net::HTTPServerResponse& response, int status, const Poco::JSON::Object::Ptr& body);
void sendJsonText(Poco::Net::HTTPServerResponse& response, int status, const std::string& json);
void sendNoContent(Poco::Net::HTTPServerResponse& response);
void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error);

}  // namespace smbhub::api
