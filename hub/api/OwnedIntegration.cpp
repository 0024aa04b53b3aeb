#include "api/OwnedIntegration.h"

#include "api/IntegrationProblems.h"

namespace smbhub::api {

store::Integration ownedIntegration(ApiServices& s, const ApiRequest& r) {
    return valueOrThrow(s.integrations.find(r.account().id, r.param("id")));
}

}  // namespace smbhub::api
