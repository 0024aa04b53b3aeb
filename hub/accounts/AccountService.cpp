#include "accounts/AccountService.h"

#include <stdexcept>

#include "core/Clock.h"
#include "core/Random.h"
#include "crypto/TokenHash.h"

namespace smbhub::accounts {

CreatedAccount createAccount(store::AccountStore& accounts, const std::string& name, const std::string& plan) {
    if (name.empty() || name.size() > 200) throw std::invalid_argument("name must be 1-200 characters");
    if (plan.empty() || plan.size() > 64) throw std::invalid_argument("plan must be 1-64 characters");
    CreatedAccount created;
    created.account.id = core::newId("acc");
    created.account.name = name;
    created.account.plan = plan;
    created.account.status = "active";
    created.account.createdAt = core::nowMillis();
    created.apiKey = core::newToken("smbk_", 32);
    accounts.create(created.account, crypto::sha256Hex(created.apiKey));
    return created;
}

bool isAccountStatus(const std::string& status) { return status == "active" || status == "suspended"; }

}  // namespace smbhub::accounts
