// What route handlers reach: the hub's long-lived services, owned by the serve command.
//
// Thread-safety: built once by the serve command before the server starts and never changed
// afterwards; every worker thread uses the services at once, each of which is thread-safe (see its
// header).
#pragma once

#include <functional>

#include "auth/Authenticator.h"
#include "auth/RateLimiter.h"
#include "config/HubConfig.h"
#include "events/EventPublisher.h"
#include "health/Readiness.h"
#include "integrations/IntegrationService.h"
#include "plugins/PluginHost.h"
#include "store/Stores.h"

namespace smbhub::api {

struct ApiServices {
    const config::HubConfig& config;
    store::Stores stores;
    const plugins::PluginHost& plugins;
    const integrations::IntegrationService& integrations;
    events::EventPublisher& publisher;
    const auth::Authenticator& authenticator;
    auth::RateLimiter& rateLimiter;
    std::function<void()> wakeDelivery;
    health::Readiness& readiness;
};

class Router;
void addProviderRoutes(Router& router, ApiServices& services);
void addIntegrationRoutes(Router& router, ApiServices& services);
void addDeliveryRoutes(Router& router, ApiServices& services);
void addEventRoutes(Router& router, ApiServices& services);
void addAdminRoutes(Router& router, ApiServices& services);
void addOAuthRoutes(Router& router, ApiServices& services);
void addSessionRoutes(Router& router, ApiServices& services);
void addDashboardRoutes(Router& router, ApiServices& services);
void addHealthRoutes(Router& router, ApiServices& services);
void addOpenApiRoutes(Router& router, ApiServices& services);
void addMetricsRoutes(Router& router, ApiServices& services);

}  // namespace smbhub::api
