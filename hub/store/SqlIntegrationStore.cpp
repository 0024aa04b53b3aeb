#include "store/SqlIntegrationStore.h"

#include <Poco/Data/Statement.h>

#include "core/Clock.h"
#include "store/RecordRows.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {

using Caller = SqlDatabase::Caller;
using Session = SqlDatabase::Session;

SqlIntegrationStore::SqlIntegrationStore(SqlDatabase& db)
    : db_(db), fanout_(db.dialect().singleProcess() ? 1000 : 0) {}

void SqlIntegrationStore::create(const Integration& i) {
    fanout_.forget(i.accountId);
    db_.write(Caller::Api, [&](Session& s) {
        s << "INSERT INTO integrations (id, account_id, provider, kind, display_name, status,"
             " status_reason, target_url, events, settings, secret_settings, signing_secret,"
             " failed_streak, created_at, updated_at, last_delivery_at, rate_limit_per_second)"
             " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,0,$13,$14,NULL,$15)",
            bind(i.id), bind(i.accountId), bind(i.provider), bind(i.kind), bind(i.displayName), bind(i.status),
            bind(i.statusReason), bind(i.targetUrl), bind(joinEvents(i.events)), bind(i.settingsJson),
            bind(i.secretSettingsSealed), bind(i.signingSecretSealed), bind(static_cast<Int64>(i.createdAt)),
            bind(static_cast<Int64>(i.updatedAt)), bind(i.rateLimitPerSecond), now;
    });
}

std::optional<Integration> SqlIntegrationStore::find(const std::string& accountId, const std::string& id) {
    return db_.read(Caller::Api, [&](Session& s) -> std::optional<Integration> {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns << " FROM integrations WHERE id = $1 AND account_id = $2",
            bind(id), bind(accountId), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return integrationFrom(rows[0]);
    });
}

std::optional<Integration> SqlIntegrationStore::byId(const std::string& id) {
    return db_.read(Caller::Engine, [&](Session& s) -> std::optional<Integration> {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns << " FROM integrations WHERE id = $1", bind(id), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return integrationFrom(rows[0]);
    });
}

std::vector<Integration> SqlIntegrationStore::list(const std::string& accountId) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kIntegrationColumns << " FROM integrations WHERE account_id = $1 ORDER BY created_at, id",
            bind(accountId), now;
        return Rows(select).map(integrationFrom);
    });
}

std::vector<FanoutTarget> SqlIntegrationStore::fanoutTargets(const std::string& accountId) {
    if (auto cached = fanout_.get(accountId)) return *cached;
    auto targets = db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id, status, events FROM integrations WHERE account_id = $1", bind(accountId), now;
        return Rows(select).map([](const Row& row) {
            return FanoutTarget{row.text("id"), row.text("status"), splitEvents(row.text("events"))};
        });
    });
    fanout_.put(accountId, targets);
    return targets;
}

bool SqlIntegrationStore::update(const Integration& i) {
    fanout_.forget(i.accountId);
    return db_.write(Caller::Api, [&](Session& s) {
        Statement update(s);
        // Re-activating resets the failure streak that may have disabled it; a rename does not.
        // (Right-hand sides see the row as it was.) Placeholders are numbered in order of first
        // appearance: SQLite binds them by position, PostgreSQL by number.
        update << "UPDATE integrations SET display_name = $1, status = $2, status_reason = $3,"
                  " events = $4, updated_at = $5,"
                  " failed_streak = CASE WHEN $6 = 'active' AND status <> 'active' THEN 0 ELSE failed_streak END,"
                  " rate_limit_per_second = $7"
                  " WHERE id = $8 AND account_id = $9",
            bind(i.displayName), bind(i.status), bind(i.statusReason), bind(joinEvents(i.events)),
            bind(static_cast<Int64>(i.updatedAt)), bind(i.status), bind(i.rateLimitPerSecond), bind(i.id),
            bind(i.accountId);
        return update.execute() > 0;
    });
}

bool SqlIntegrationStore::rotateSigningSecret(const std::string& accountId, const std::string& id,
                                              const std::string& newSecretSealed, std::int64_t previousExpiresAt,
                                              std::int64_t nowMs) {
    return db_.write(Caller::Api, [&](Session& s) {
        Statement rotate(s);
        // Right-hand sides see the row as it was: the current secret becomes the previous one.
        rotate << "UPDATE integrations SET previous_signing_secret = signing_secret,"
                  " previous_secret_expires_at = $1, signing_secret = $2, updated_at = $3"
                  " WHERE id = $4 AND account_id = $5",
            bind(static_cast<Int64>(previousExpiresAt)), bind(newSecretSealed), bind(static_cast<Int64>(nowMs)),
            bind(id), bind(accountId);
        return rotate.execute() > 0;
    });
}

std::size_t SqlIntegrationStore::resealAll(const std::function<SealedSecrets(const SealedSecrets&)>& reseal) {
    return db_.write(Caller::Engine, [&](Session& s) {
        Statement select(s);
        // FOR UPDATE (PostgreSQL): an integration changed meanwhile by a hub still running waits
        // for this transaction instead of being overwritten by it.
        select << "SELECT id, signing_secret, secret_settings, previous_signing_secret FROM integrations ORDER BY id"
               << (db_.dialect().kind() == SqlDialect::Kind::Postgres ? " FOR UPDATE" : ""),
            now;
        std::size_t rewritten = 0;
        for (const Row& row : Rows(select)) {
            const SealedSecrets before{row.text("id"), row.text("signing_secret"), row.text("secret_settings"),
                                       row.text("previous_signing_secret")};
            const SealedSecrets after = reseal(before);
            if (after.signingSecret == before.signingSecret && after.secretSettings == before.secretSettings &&
                after.previousSigningSecret == before.previousSigningSecret) {
                continue;
            }
            Statement update(s);
            update << "UPDATE integrations SET signing_secret = $1, secret_settings = $2, previous_signing_secret = $3"
                      " WHERE id = $4",
                bind(after.signingSecret), bind(after.secretSettings), bind(after.previousSigningSecret),
                bind(before.integrationId), now;
            ++rewritten;
        }
        return rewritten;
    });
}

bool SqlIntegrationStore::remove(const std::string& accountId, const std::string& id) {
    fanout_.forget(accountId);
    return db_.write(Caller::Api, [&](Session& s) {
        Statement remove(s);
        remove << "DELETE FROM integrations WHERE id = $1 AND account_id = $2", bind(id), bind(accountId);
        if (remove.execute() == 0) return false;
        // Its pending deliveries go with it, in the same transaction.
        s << "UPDATE deliveries SET status = 'cancelled', lease_owner = '', lease_until = 0,"
             " updated_at = $1 WHERE integration_id = $2 AND status = 'pending'",
            bind(static_cast<Int64>(core::nowMillis())), bind(id), now;
        s << "DELETE FROM delivery_stats_hourly WHERE integration_id = $1", bind(id), now;
        return true;
    });
}

}  // namespace smbhub::store
