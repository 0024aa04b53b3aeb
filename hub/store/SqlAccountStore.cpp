#include "store/SqlAccountStore.h"

#include <Poco/Data/Statement.h>

#include "store/RecordRows.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;
using Poco::Int64;

namespace smbhub::store {

using Caller = SqlDatabase::Caller;
using Session = SqlDatabase::Session;

void SqlAccountStore::create(const Account& account, const std::string& apiKeyHash) {
    db_.write(Caller::Api, [&](Session& s) {
        s << "INSERT INTO accounts (id, name, plan, status, created_at) VALUES ($1,$2,$3,$4,$5)", bind(account.id),
            bind(account.name), bind(account.plan), bind(account.status), bind(static_cast<Int64>(account.createdAt)),
            now;
        s << "INSERT INTO api_keys (key_hash, account_id, created_at) VALUES ($1,$2,$3)", bind(apiKeyHash),
            bind(account.id), bind(static_cast<Int64>(account.createdAt)), now;
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
    return db_.read(Caller::Api, [&](Session& s) -> std::optional<Account> {
        Statement select(s);
        select << "SELECT a.id, a.name, a.plan, a.status, a.created_at FROM api_keys k"
                  " JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = $1",
            bind(hash), now;
        const Rows rows(select);
        if (rows.empty()) return std::nullopt;
        return accountFrom(rows[0]);
    });
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

}  // namespace smbhub::store
