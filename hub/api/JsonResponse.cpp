#include "api/JsonResponse.h"

#include "core/Json.h"

namespace smbhub::api {

void sendJsonText(server::Response& response, int status, const std::string& json) {
    response.status = status;
    response.set("Content-Type", "application/json");
    response.body = json;
}

void sendJson(server::Response& response, int status, const Poco::JSON::Object::Ptr& body) {
    sendJsonText(response, status, core::condensedJson(body));
}

void sendNoContent(server::Response& response) {
    response.status = 204;
    response.body.clear();
}

void sendRedirect(server::Response& response, const std::string& location) {
    response.status = 302;
    response.set("Location", location);
    response.body.clear();
}

void sendError(server::Response& response, const ApiError& error) {
    Poco::JSON::Object::Ptr detail = core::orderedObject();
    detail->set("code", error.code());
    detail->set("message", std::string(error.what()));
    if (!error.field().empty()) detail->set("field", error.field());
    Poco::JSON::Object::Ptr body = core::orderedObject();
    body->set("error", detail);
    if (error.retryAfterSeconds() > 0) response.set("Retry-After", std::to_string(error.retryAfterSeconds()));
    if (!error.allow().empty()) response.set("Allow", error.allow());
    sendJson(response, error.status(), body);
}

}  // namespace smbhub::api
