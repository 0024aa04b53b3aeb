#include "api/OwnedIntegration.h"

#include "api/ApiError.h"

namespace smbhub::api {

store::Integration ownedIntegration(ApiServices& s, const ApiRequest& r) {
    auto integration = s.store.findIntegration(r.account().id, r.param("id"));
    if (!integration) throw ApiError::notFound("no integration " + r.param("id"));
    return *integration;
}

}  // namespace smbhub::api
