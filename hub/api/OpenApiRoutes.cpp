// GET /api/openapi.json (SPEC §14): the API's description, for people and client generators.
// No credentials: it describes what anyone can read in the docs, nothing about this hub's data.
#include "api/ApiServices.h"
#include "api/JsonResponse.h"
#include "api/OpenApiDocument.h"
#include "api/Router.h"

namespace smbhub::api {

void addOpenApiRoutes(Router& router, ApiServices&) {
    router.add("GET", "/api/openapi.json", Access::Public, [](ApiRequest& r) {
        sendJsonText(r.response, 200, std::string(openApiDocument()));
    });
}

}  // namespace smbhub::api
