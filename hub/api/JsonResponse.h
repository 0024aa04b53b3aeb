// The one way the API writes a response.
//
// Thread-safety: functions that write into the Response they are given, which belongs to the
// calling thread.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "api/ApiError.h"
#include "server/Response.h"

namespace smbhub::api {

void sendJson(server::Response& response, int status, const Poco::JSON::Object::Ptr& body);
void sendJsonText(server::Response& response, int status, const std::string& json);
void sendNoContent(server::Response& response);
void sendRedirect(server::Response& response, const std::string& location);
void sendError(server::Response& response, const ApiError& error);

}  // namespace smbhub::api
