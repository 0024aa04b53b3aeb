#include "accounts/AccountService.h"

#include <stdexcept>

#include "core/Clock.h"
#include "core/Random.h"
#include "crypto/TokenHash.h"

namespace smbhub::accounts {

namespace {

// Enough of the key to tell an account's keys apart in a list; 36 of its 256 bits.
constexpr std::size_t kPrefixLength = 5 + 6;  // "smbk_" + six characters

store::NewApiKey newKey(const std::string& accountId, std::int64_t now, std::string& apiKey) {
    apiKey = core::newToken("smbk_", 32);
    store::NewApiKey key;
    key.key.id = core::newId("key");
    key.key.accountId = accountId;
    key.key.prefix = apiKey.substr(0, kPrefixLength);
    key.key.createdAt = now;
    key.hash = crypto::sha256Hex(apiKey);
    return key;
}

}  // namespace

CreatedAccount createAccount(store::AccountStore& accounts, const std::string& name, const std::string& plan) {
    if (name.empty() || name.size() > 200) throw std::invalid_argument("name must be 1-200 characters");
    if (plan.empty() || plan.size() > 64) throw std::invalid_argument("plan must be 1-64 characters");
    CreatedAccount created;
    created.account.id = core::newId("acc");
    created.account.name = name;
    created.account.plan = plan;
    created.account.status = "active";
    created.account.createdAt = core::nowMillis();
    const store::NewApiKey key = newKey(created.account.id, created.account.createdAt, created.apiKey);
    accounts.create(created.account, key);
    created.key = key.key;
    return created;
}

std::optional<IssuedApiKey> issueApiKey(store::AccountStore& accounts, const std::string& accountId) {
    IssuedApiKey issued;
    const store::NewApiKey key = newKey(accountId, core::nowMillis(), issued.apiKey);
    if (!accounts.addApiKey(key)) return std::nullopt;
    issued.key = key.key;
    return issued;
}

bool isAccountStatus(const std::string& status) { return status == "active" || status == "suspended"; }

}  // namespace smbhub::accounts
