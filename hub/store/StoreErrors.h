// How the stores report that the database could not do what was asked, and what a readiness
// check reads. Every store operation either succeeds, returns "not found" as a value, or throws
// one of these: StoreUnavailable (the database down, locked or refusing: the API answers 503),
// or DatabaseOutage — a StoreUnavailable already logged as a state by the database's health
// check (once, then a summary a minute), which callers answer without logging again.
//
// Thread-safety: values (exceptions and a status).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace smbhub::store {

class StoreUnavailable : public std::runtime_error {
public:
    explicit StoreUnavailable(const std::string& what, bool outcomeUnknown = false)
        : std::runtime_error(what), outcomeUnknown_(outcomeUnknown) {}
    // The connection was lost (or cut at the deadline) while the database was committing: the
    // write may have been stored. No database client can know; a publish retried with the same
    // Idempotency-Key then returns the first result if it was.
    bool outcomeUnknown() const { return outcomeUnknown_; }

private:
    bool outcomeUnknown_;
};

// The database cannot be used right now (unreachable, not answering in time, out of space, all
// connections busy), and its health check has logged it.
class DatabaseOutage : public StoreUnavailable {
public:
    using StoreUnavailable::StoreUnavailable;
};

// Whether the database can be used now, for a readiness check.
struct DatabaseStatus {
    bool available = true;
    std::int64_t since = 0;  // Unix ms of the last change (0: available since start-up)
    std::string reason;      // why not, when not available
};

}  // namespace smbhub::store
