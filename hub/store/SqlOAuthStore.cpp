#include "store/SqlOAuthStore.h"

#include <Poco/Data/Statement.h>

#include "store/RowReader.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {

using Caller = SqlDatabase::Caller;
using Session = SqlDatabase::Session;

void SqlOAuthStore::createState(const OAuthState& state) {
    db_.write(Caller::Api, [&](Session& s) {
        s << "INSERT INTO oauth_states (state_hash, account_id, provider, env, created_at, expires_at,"
             " used_at) VALUES ($1,$2,$3,$4,$5,$6,NULL)",
            bind(state.stateHash), bind(state.accountId), bind(state.provider), bind(state.env),
            bind(static_cast<Int64>(state.createdAt)), bind(static_cast<Int64>(state.expiresAt)), now;
        // Expired states are of no use to anyone: keep the table small.
        s << "DELETE FROM oauth_states WHERE expires_at < $1", bind(static_cast<Int64>(state.createdAt - 86400000)),
            now;
    });
}

ConsumedOAuthState SqlOAuthStore::consumeState(const std::string& stateHash, const std::string& provider,
                                               std::int64_t nowMs) {
    return db_.write(Caller::Api, [&](Session& s) {
        ConsumedOAuthState out;
        Statement select(s);
        select << "SELECT state_hash, account_id, provider, env, created_at, expires_at, used_at"
                  " FROM oauth_states WHERE state_hash = $1",
            bind(stateHash), now;
        const Rows rows(select);
        if (rows.empty()) return out;
        const Row row = rows[0];
        if (!row.isNull("used_at")) {
            out.check = OAuthStateCheck::Reused;
            return out;
        }
        if (row.text("provider") != provider) {
            out.check = OAuthStateCheck::OtherProvider;
            return out;
        }
        // Used now, whether or not it is still fresh: a state is never good twice.
        Statement use(s);
        use << "UPDATE oauth_states SET used_at = $1 WHERE state_hash = $2 AND used_at IS NULL",
            bind(static_cast<Int64>(nowMs)), bind(stateHash);
        if (use.execute() == 0) {
            out.check = OAuthStateCheck::Reused;
            return out;
        }
        if (row.integer("expires_at") <= nowMs) {
            out.check = OAuthStateCheck::Expired;
            return out;
        }
        out.check = OAuthStateCheck::Valid;
        out.state.stateHash = stateHash;
        out.state.accountId = row.text("account_id");
        out.state.provider = provider;
        out.state.env = row.text("env");
        out.state.createdAt = row.integer("created_at");
        out.state.expiresAt = row.integer("expires_at");
        return out;
    });
}

void SqlOAuthStore::recordConnection(const OAuthConnection& c) {
    db_.write(Caller::Api, [&](Session& s) {
        s << "INSERT INTO oauth_connections (id, account_id, provider, env, created_at) VALUES ($1,$2,$3,$4,$5)",
            bind(c.id), bind(c.accountId), bind(c.provider), bind(c.env), bind(static_cast<Int64>(c.createdAt)), now;
    });
}

std::vector<OAuthConnection> SqlOAuthStore::connections(const std::string& accountId) {
    return db_.read(Caller::Api, [&](Session& s) {
        Statement select(s);
        select << "SELECT id, account_id, provider, env, created_at FROM oauth_connections"
                  " WHERE account_id = $1 ORDER BY created_at, id",
            bind(accountId), now;
        return Rows(select).map([](const Row& row) {
            return OAuthConnection{row.text("id"), row.text("account_id"), row.text("provider"), row.text("env"),
                                   row.integer("created_at")};
        });
    });
}

}  // namespace smbhub::store
