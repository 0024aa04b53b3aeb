// The store's hot writes, for a batch of rows at a time.
//
// SQLite: one HotStatement per kind of row, compiled once and run per row — a local call per
// row is cheap. PostgreSQL: one multi-row statement per batch (up to kRowsPerStatement rows),
// because every statement costs a round trip and the server's parse and plan.
//
// Thread-safety: none; used by one thread at a time (under the store's connection lock or within
// one transaction).
#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/HotStatement.h"
#include "store/Records.h"
#include "store/SqlDialect.h"

namespace smbhub::store {

class PreparedWriters {
public:
    PreparedWriters(Poco::Data::Session& session, const SqlDialect& dialect);

    // A delivery and the lease it was claimed under.
    struct Claim {
        std::string deliveryId;
        std::string leaseOwner;
    };

    void insertEvents(const std::vector<Event>& events);
    void insertDeliveries(const std::vector<Delivery>& deliveries);
    // Whether each attempt was new; an attempt whose id is already logged (an outcome recorded
    // again after a commit whose acknowledgement was lost) is not written again.
    std::vector<bool> insertAttempts(const std::vector<const Attempt*>& attempts);
    // Marks deliveries succeeded where their lease owner still holds them; returns those it
    // marked.
    std::set<std::string> succeedDeliveries(const std::vector<Claim>& claims, std::int64_t now);

    // An integration's bookkeeping after a batch of attempts.
    struct IntegrationTally {
        std::string integrationId;
        std::int64_t lastAttemptAt = 0;
        int requestsAccepted = 0;  // requests the destination accepted
        // The failure streak restarts at `streak` after a success, else grows by it.
        bool succeeded = false;
        int streak = 0;
        // Stats: deliveries that ended either way, and the latest success.
        int deliveriesSucceeded = 0;
        int deliveriesFailed = 0;
        std::optional<std::int64_t> lastSuccessAt;
    };
    void tallyIntegration(const IntegrationTally& tally);
    // The latest attempt of an integration that did not succeed (kept unless a later one is).
    void noteLastError(const std::string& integrationId, std::int64_t at, const std::string& message,
                       std::optional<int> responseStatus);
    // Deliveries that ended in one hour, added to the integration's hourly stats.
    struct HourlyCount {
        std::string integrationId;
        std::int64_t hourStart = 0;
        int succeeded = 0;
        int failed = 0;
    };
    void addHourlyCounts(const std::vector<HourlyCount>& counts);

private:
    static constexpr std::size_t kRowsPerStatement = 500;

    bool insertAttempt(const Attempt& attempt);
    // `head` + rows of `columns` placeholders: per row through `perRow` (SQLite), or in
    // multi-row statements (PostgreSQL).
    template <typename Row, typename Bind>
    void insertRows(std::unique_ptr<HotStatement>& perRow, const std::string& head, std::size_t columns,
                    const std::vector<Row>& rows, Bind bind);

    Poco::Data::Session& session_;
    const bool batched_;
    // Per-row statements (SQLite), prepared on first use.
    HotStatement& statement(std::unique_ptr<HotStatement>& slot, const std::string& sql);
    std::unique_ptr<HotStatement> insertEvent_;
    std::unique_ptr<HotStatement> insertDelivery_;
    std::unique_ptr<HotStatement> insertAttempt_;
    std::unique_ptr<HotStatement> succeedDelivery_;
    std::unique_ptr<HotStatement> tallyIntegration_;
    std::unique_ptr<HotStatement> noteLastError_;
    std::unique_ptr<HotStatement> addHourlyCount_;
};

}  // namespace smbhub::store
