#include "health/Readiness.h"

#include <Poco/Logger.h>

namespace smbhub::health {

Readiness::Readiness(DatabaseState database) : database_(std::move(database)) {}

void Readiness::startDraining() {
    if (draining_.exchange(true)) return;
    Poco::Logger::get("health").information("draining: /readyz answers 503 from now on");
}

ReadinessVerdict Readiness::verdict() const {
    if (draining_.load()) return {false, "draining"};
    if (!database_().available) return {false, "database_unavailable"};
    return {true, ""};
}

}  // namespace smbhub::health
