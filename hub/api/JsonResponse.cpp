#include "api/JsonResponse.h"

#include "core/Json.h"

namespace smbhub::api {

void sendJsonText(Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(json.size()));
    response.send().write(json.data(), static_cast<std::streamsize>(json.size()));
}

void sendJson(Poco::Net::HTTPServerResponse& response, int status, const Poco::JSON::Object::Ptr& body) {
    sendJsonText(response, status, core::condensedJson(body));
}

void sendNoContent(Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
    Poco::JSON::Object::Ptr detail = core::orderedObject();
    detail->set("code", error.code());
    detail->set("message", std::string(error.what()));
    if (!error.field().empty()) detail->set("field", error.field());
    Poco::JSON::Object::Ptr body = core::orderedObject();
    body->set("error", detail);
    if (error.retryAfterSeconds() > 0) response.set("Retry-After", std::to_string(error.retryAfterSeconds()));
    sendJson(response, error.status(), body);
}

}  // namespace smbhub::api
