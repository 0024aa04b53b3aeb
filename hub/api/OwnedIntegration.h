// The integration named by a request's :id, if it belongs to the calling account; another
// account's integration is "not found" (SPEC §5), never "forbidden".
//
// Thread-safety: a function with no state of its own, safe from any thread (it reads the
// thread-safe IntegrationStore).
#pragma once

#include "api/ApiRequest.h"
#include "api/ApiServices.h"

namespace smbhub::api {

store::Integration ownedIntegration(ApiServices& services, const ApiRequest& request);

}  // namespace smbhub::api
