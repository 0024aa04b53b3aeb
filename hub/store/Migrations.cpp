#include "store/Migrations.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/RecordSet.h>

#include <optional>
#include <vector>

#include "core/Clock.h"

using namespace Poco::Data::Keywords;

namespace smbhub::store {
namespace {

// Statements for both databases, then those for one of them; the version counts on both.
struct Migration {
    int version;
    std::vector<std::string> statements;
    std::vector<std::string> sqliteOnly = {};
    std::vector<std::string> postgresOnly = {};
};

// Append-only: never edit a migration that has shipped; add the next one.
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1,
         {
             "CREATE TABLE accounts ("
             " id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,"
             " status TEXT NOT NULL, created_at BIGINT NOT NULL)",
             "CREATE TABLE api_keys ("
             " key_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),"
             " created_at BIGINT NOT NULL)",
             "CREATE TABLE integrations ("
             " id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),"
             " provider TEXT NOT NULL, kind TEXT NOT NULL, display_name TEXT NOT NULL,"
             " status TEXT NOT NULL, status_reason TEXT NOT NULL DEFAULT '',"
             " target_url TEXT NOT NULL, events TEXT NOT NULL, settings TEXT NOT NULL,"
             " secret_settings TEXT NOT NULL, signing_secret TEXT NOT NULL,"
             " failed_streak INTEGER NOT NULL DEFAULT 0,"
             " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, last_delivery_at BIGINT)",
             "CREATE INDEX integrations_account ON integrations(account_id, created_at)",
             "CREATE TABLE events ("
             " id TEXT PRIMARY KEY, account_id TEXT NOT NULL, type TEXT NOT NULL,"
             " created_at BIGINT NOT NULL, test INTEGER NOT NULL, envelope TEXT NOT NULL)",
             "CREATE TABLE deliveries ("
             " id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),"
             " integration_id TEXT NOT NULL, account_id TEXT NOT NULL, status TEXT NOT NULL,"
             " attempts INTEGER NOT NULL, schedule_index INTEGER NOT NULL,"
             " parts_done INTEGER NOT NULL, next_attempt_at BIGINT NOT NULL,"
             " lease_owner TEXT NOT NULL DEFAULT '', lease_until BIGINT NOT NULL DEFAULT 0,"
             " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
             "CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at)",
             "CREATE INDEX deliveries_integration ON deliveries(integration_id, status)",
             "CREATE TABLE attempts ("
             " id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, integration_id TEXT NOT NULL,"
             " event_id TEXT NOT NULL, event_type TEXT NOT NULL, attempt INTEGER NOT NULL,"
             " status TEXT NOT NULL, response_status INTEGER, response_body TEXT, error TEXT,"
             " duration_ms BIGINT NOT NULL, created_at BIGINT NOT NULL, next_attempt_at BIGINT)",
             "CREATE INDEX attempts_integration ON attempts(integration_id, created_at)",
             "CREATE TABLE idempotency_keys ("
             " account_id TEXT NOT NULL, idem_key TEXT NOT NULL, response TEXT NOT NULL,"
             " created_at BIGINT NOT NULL, PRIMARY KEY (account_id, idem_key))",
         }},
        {2,
         {
             // OAuth: single-use states bound to an account (SPEC §9) and the connections made.
             "CREATE TABLE oauth_states ("
             " state_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, provider TEXT NOT NULL,"
             " env TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
             " used_at BIGINT)",
             "CREATE TABLE oauth_connections ("
             " id TEXT PRIMARY KEY, account_id TEXT NOT NULL, provider TEXT NOT NULL,"
             " env TEXT NOT NULL, created_at BIGINT NOT NULL)",
             "CREATE INDEX oauth_connections_account ON oauth_connections(account_id, provider)",
             // Requests a destination has accepted, for providers with a lifetime limit (Clay).
             "ALTER TABLE integrations ADD COLUMN requests_sent BIGINT NOT NULL DEFAULT 0",
         }},
        {3,
         {
             // The queue index holds only what is still to be sent: finished deliveries leave it,
             // so claims stay cheap however long the history grows.
             "DROP INDEX deliveries_due",
             "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending'",
         }},
        {4,
         {},
         {},
         {
             // The queue churns (each delivery is written three times or more), so PostgreSQL
             // should vacuum and re-analyze it well before its default 20% / 10% of changed rows:
             // dead versions slow every claim, and stale statistics can cost claims their index.
             // Room in each page lets a lease change rewrite its row in place (a HOT update: no
             // new index entries), since the lease columns are not indexed.
             "ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.02,"
             " autovacuum_analyze_scale_factor = 0.02, fillfactor = 80)",
             "ALTER TABLE attempts SET (autovacuum_analyze_scale_factor = 0.05)",
             "ALTER TABLE events SET (autovacuum_analyze_scale_factor = 0.05)",
         }},
        {5,
         {
             // A repeated Idempotency-Key must come with the same request (SPEC §13): its hash is
             // kept beside the key. Keys stored before have none and match any request.
             "ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT ''",
         }},
        {6,
         {
             // API keys become things an operator can list and revoke (SPEC §14): a public id, the
             // key's first characters to tell keys apart, when it was last used, and when it was
             // revoked (a revoked key stays, refused, for the record). Keys issued before have
             // an id made from their hash and no prefix (the key itself was never stored).
             "ALTER TABLE api_keys ADD COLUMN id TEXT",
             "ALTER TABLE api_keys ADD COLUMN prefix TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT",
             "ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT",
             "UPDATE api_keys SET id = 'key_' || substr(key_hash, 1, 32) WHERE id IS NULL",
             "CREATE UNIQUE INDEX api_keys_id ON api_keys(id)",
             "CREATE INDEX api_keys_account ON api_keys(account_id, created_at)",
             // The admin API lists accounts by creation time, page by page.
             "CREATE INDEX accounts_created ON accounts(created_at, id)",
             // Support looks a delivery up with all its attempts.
             "CREATE INDEX attempts_delivery ON attempts(delivery_id)",
         }},
        {7,
         {
             // An event keeps its `data` object; the envelope a receiver gets is built from the
             // event's columns and it (events/Envelope), instead of being stored whole and cut
             // apart again at delivery.
             "ALTER TABLE events ADD COLUMN data TEXT NOT NULL DEFAULT '{}'",
         },
         {
             // Envelopes were written condensed, so the extracted text is the data as delivered.
             "UPDATE events SET data = json_extract(envelope, '$.data') WHERE envelope <> ''",
             "ALTER TABLE events DROP COLUMN envelope",
         },
         {
             // `json` (not `jsonb`) keeps the member's text exactly as it was written.
             "UPDATE events SET data = (envelope::json -> 'data')::text WHERE envelope <> ''",
             "ALTER TABLE events DROP COLUMN envelope",
         }},
    };
    return all;
}

// pg_advisory_xact_lock key held while migrating ("smbhub" in ASCII).
constexpr long long kMigrationLockKey = 0x736d62687562LL;

bool postgresTableExists(Poco::Data::Session& session, const std::string& table) {
    Poco::Data::Statement select(session);
    select << "SELECT COUNT(*) FROM information_schema.tables"
              " WHERE table_schema = current_schema() AND table_name = $1",
        bind(table), now;
    Poco::Data::RecordSet rows(select);
    return rows.value(0, 0).convert<int>() > 0;
}

int currentVersion(Poco::Data::Session& session) {
    Poco::Data::Statement select(session);
    select << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", now;
    Poco::Data::RecordSet rows(select);
    return rows.rowCount() ? rows.value(0, 0).convert<int>() : 0;
}

}  // namespace

int latestSchemaVersion() { return migrations().back().version; }

int migrateSchema(Poco::Data::Session& session, const SqlDialect& dialect) {
    const bool postgres = dialect.kind() == SqlDialect::Kind::Postgres;
    session.begin();
    try {
        if (postgres) {
            // Several processes may start at once: one migrates, the others wait for it. The
            // lock comes first because concurrent CREATE TABLE IF NOT EXISTS can still collide
            // on PostgreSQL; DDL is transactional there, so all of it commits or none.
            session << "SELECT pg_advisory_xact_lock(" << kMigrationLockKey << ")::text", now;
        }
        // (PostgreSQL would print a NOTICE for IF NOT EXISTS on every start: ask first.)
        if (!postgres || !postgresTableExists(session, "schema_migrations")) {
            session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
                now;
        }
        int version = currentVersion(session);
        const int known = migrations().back().version;
        if (version > known) {
            // A newer smb-hub migrated this database; this one would misread what it wrote.
            throw Poco::Data::DataException("the database is at schema version " + std::to_string(version) +
                                            ", newer than this smb-hub knows (" + std::to_string(known) +
                                            "): run the newer smb-hub, or restore a backup taken before the upgrade");
        }
        for (const Migration& migration : migrations()) {
            if (migration.version <= version) continue;
            for (const std::string& sql : migration.statements) session << sql, now;
            for (const std::string& sql : postgres ? migration.postgresOnly : migration.sqliteOnly) session << sql, now;
            session << "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                bind(migration.version), bind(static_cast<Poco::Int64>(core::nowMillis())), now;
            version = migration.version;
        }
        session.commit();
        return version;
    } catch (...) {
        session.rollback();
        throw;
    }
}

}  // namespace smbhub::store
