// Whether this process should be sent traffic (SPEC §14 `GET /readyz`): not while it drains
// (SIGTERM received), and not while its database is unavailable.
//
// The database's state is the store's own (store/DatabaseHealth, through Stores::databaseStatus):
// everything that uses the database reports to it, a probe of its own watches an outage, and it
// logs outages as states. Reading it costs no query, so a load balancer probing every second
// adds nothing to the database's load and a hung database cannot hang the probe.
//
// What a probe answers carries only a short reason ("draining", "database_unavailable"); the
// database's own error is in the log, never in an unauthenticated answer.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "store/StoreErrors.h"

namespace smbhub::health {

struct ReadinessVerdict {
    bool ready = false;
    std::string reason;  // "" when ready; "draining" or "database_unavailable"
};

class Readiness {
public:
    using DatabaseState = std::function<store::DatabaseStatus()>;

    explicit Readiness(DatabaseState database);

    // From now on the process is not ready, whatever the database says (SIGTERM). Idempotent.
    void startDraining();
    bool draining() const { return draining_.load(); }

    ReadinessVerdict verdict() const;

private:
    const DatabaseState database_;
    std::atomic<bool> draining_{false};
};

}  // namespace smbhub::health
