#include "store/SqlAccountStore.h"

#include <Poco/Data/Statement.h>

#include "core/Clock.h"
#include "store/RecordRows.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {

using Caller = SqlDatabase::Caller;
using Session = SqlDatabase::Session;

namespace {

void insertApiKey(Session& s, const NewApiKey& k) {
    s << "INSERT INTO api_keys (key_hash, account_id, created_at, id, prefix) VALUES ($1,$2,$3,$4,$5)",
        bind(k.hash), bind(k.key.accountId), bind(static_cast<Int64>(k.key.createdAt)), bind(k.key.id),
        bind(k.key.prefix), now;
}

// A key's id. Keys written by a process of the version before migration 6 (a rolling upgrade)
// have none: they get the id the migration gave the keys it found, made from the hash.
const char* const kApiKeyId = "COALESCE(id, 'key_' || substr(key_hash, 1, 32))";

// A key's lastUsedAt is rewritten only when it is older than this: a key in constant use costs
// one write a minute, not one per request.
constexpr std::int64_t kKeyUseResolutionMs = 60000;

ApiKey apiKeyFrom(const Row& row) {
    return {row.text("id"), row.text("account_id"), row.text("prefix"), row.integer("created_at"),
            row.optionalInteger("last_used_at")};
}

}  // namespace

void SqlAccountStore::create(const Account& account, const NewApiKey& firstKey) {
    db_.write(Caller::Api, [&](Session& s) {
        s << "INSERT INTO accounts (id, name, plan, status, created_at) VALUES ($1,$2,$3,$4,$5)", bind(account.id),
            bind(account.name), bind(account.plan), bind(account.status), bind(static_cast<Int64>(account.createdAt)),
            now;
        insertApiKey(s, firstKey);
    });
}

std::optional<Account> SqlAccountStore::find(const std::string& id) {
    if (auto cached = cache_.get(id)) return cached;
    auto account = db_.read(Caller::Api, [&](Session& s) -> std::optional<Account> {
        Statement select(s);
        select << "SELECT " << kAccountColumns << " FROM accounts WHERE id = $1", bind(id), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return accountFrom(rows[0]);
    });
    if (account) cache_.put(id, *account);
    return account;
}

std::optional<Account> SqlAccountStore::findByApiKeyHash(const std::string& hash) {
    struct Found {
        Account account;
        std::optional<std::int64_t> lastUsedAt;
    };
    const auto found = db_.read(Caller::Api, [&](Session& s) -> std::optional<Found> {
        Statement select(s);
        select << "SELECT a.id, a.name, a.plan, a.status, a.created_at, k.last_used_at FROM api_keys k"
                  " JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
            bind(hash), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return Found{accountFrom(rows[0]), rows[0].optionalInteger("last_used_at")};
    });
    if (!found) return std::nullopt;
    const Int64 nowMs = core::nowMillis();
    if (!found->lastUsedAt || nowMs - *found->lastUsedAt >= kKeyUseResolutionMs) {
        try {
            db_.write(Caller::Api, [&](Session& s) {
                s << "UPDATE api_keys SET last_used_at = $1 WHERE key_hash = $2", bind(nowMs), bind(hash), now;
            });
        } catch (const std::exception&) {
            // Bookkeeping only: the request is not refused because its use could not be noted.
        }
    }
    return found->account;
}

bool SqlAccountStore::update(const std::string& id, const std::optional<std::string>& plan,
                             const std::optional<std::string>& status) {
    cache_.forget(id);
    return db_.write(Caller::Api, [&](Session& s) {
        std::size_t changed = 0;
        if (plan) {
            Statement update(s);
            update << "UPDATE accounts SET plan = $1 WHERE id = $2", bind(*plan), bind(id);
            changed = update.execute();
        }
        if (status) {
            Statement update(s);
            update << "UPDATE accounts SET status = $1 WHERE id = $2", bind(*status), bind(id);
            changed = update.execute();
        }
        if (!plan && !status) {
            Statement select(s);
            select << "SELECT id FROM accounts WHERE id = $1", bind(id), now;
            changed = Rows(select).size();
        }
        return changed > 0;
    });
}

std::vector<Account> SqlAccountStore::list(const std::optional<AccountPosition>& after, int limit) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kAccountColumns << " FROM accounts";
        if (after) {
            select << " WHERE created_at > $1 OR (created_at = $1 AND id > $2)",
                bind(static_cast<Int64>(after->createdAt)), bind(after->id);
        }
        select << " ORDER BY created_at, id LIMIT $" << (after ? "3" : "1"), bind(limit);
        select.execute();
        return Rows(select).map(accountFrom);
    });
}

bool SqlAccountStore::addApiKey(const NewApiKey& key) {
    return db_.write(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id FROM accounts WHERE id = $1", bind(key.key.accountId), now;
        if (Rows(select).empty()) return false;
        insertApiKey(s, key);
        return true;
    });
}

std::vector<ApiKey> SqlAccountStore::listApiKeys(const std::string& accountId) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT " << kApiKeyId << " AS id, account_id, prefix, created_at, last_used_at FROM api_keys"
                  " WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at, id",
            bind(accountId), now;
        return Rows(select).map(apiKeyFrom);
    });
}

bool SqlAccountStore::revokeApiKey(const std::string& accountId, const std::string& keyId, std::int64_t nowMs) {
    return db_.write(Caller::Api, [&](Session& s) {
        Statement revoke(s);
        revoke << "UPDATE api_keys SET revoked_at = $1 WHERE " << kApiKeyId
               << " = $2 AND account_id = $3 AND revoked_at IS NULL",
            bind(static_cast<Int64>(nowMs)), bind(keyId), bind(accountId);
        return revoke.execute() > 0;
    });
}

std::optional<std::string> SqlAccountStore::activeApiKeyId(const std::string& hash) {
    return db_.read(Caller::Api, [&](Session& s) -> std::optional<std::string> {
        Statement select(s);
        select << "SELECT " << kApiKeyId << " AS id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            bind(hash), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return rows[0].text("id");
    });
}

bool SqlAccountStore::apiKeyActive(const std::string& keyId) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        // By the indexed id first; keys a previous version wrote have none (see kApiKeyId).
        select << "SELECT 1 AS found FROM api_keys WHERE (id = $1 OR (id IS NULL AND " << kApiKeyId
               << " = $1)) AND revoked_at IS NULL",
            bind(keyId), now;
        return !Rows(select).empty();
    });
}

}  // namespace smbhub::store
