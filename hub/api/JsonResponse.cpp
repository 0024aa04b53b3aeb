#include "api/JsonResponse.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace smbhub::api {

Poco::JSON::Object::Ptr newObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

void sendJsonText(Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    response.send().write(json.data(), static_cast<std::streamsize>(json.size()));
}

void sendJson(Poco::Net::HTTPServerResponse& response, int status, const Poco::JSON::Object::Ptr& body) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(body, out);
    sendJsonText(response, status, out.str());
}

void sendNoContent(Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
    Poco::JSON::Object::Ptr detail = newObject();
    detail->set("code", error.code());
    detail->set("message", std::string(error.what()));
    if (!error.field().empty()) detail->set("field", error.field());
    Poco::JSON::Object::Ptr body = newObject();
    body->set("error", detail);
    if (error.retryAfterSeconds() > 0) response.set("Retry-After", std::to_string(error.retryAfterSeconds()));
    sendJson(response, error.status(), body);
}

}  // namespace smbhub::api
