#include "api/ApiRequest.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include "api/ApiError.h"
#include "core/StrictJson.h"

namespace smbhub::api {

bool isJsonContentType(const std::string& contentType) {
    const std::string mediaType = Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
    return mediaType == "application/json";
}

Poco::JSON::Object::Ptr ApiRequest::jsonBody() const {
    if (!isJsonContentType(http.header("Content-Type"))) throw ApiError::unsupportedMediaType();
    if (body().empty()) throw ApiError::invalid("a JSON object body is required");
    if (const auto problem = core::checkStrictJson(body())) {
        throw ApiError::invalid("body is not valid JSON: " + problem->message, problem->field);
    }
    // Valid JSON that is not an object (a string, a number, an array) is refused here by name:
    // Poco's parser cannot even read a top-level string or number, and would say "not valid JSON".
    const auto first = body().find_first_not_of(" \t\r\n");
    if (first == std::string::npos || body()[first] != '{') throw ApiError::invalid("body must be a JSON object");
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body());
    } catch (const Poco::Exception& e) {
        throw ApiError::invalid("body is not valid JSON: " + e.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw ApiError::invalid("body must be a JSON object");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr ApiRequest::optionalJsonBody() const {
    if (body().empty()) return new Poco::JSON::Object();
    return jsonBody();
}

}  // namespace smbhub::api
