// Creating and changing accounts, shared by the CLI and POST /api/admin/accounts. The API key
// is returned once, at creation, and stored only as a hash.
//
// Thread-safety: functions with no state of their own, safe from any thread (the AccountStore they
// are given is thread-safe).
#pragma once

#include <optional>
#include <string>

#include "store/AccountStore.h"

namespace smbhub::accounts {

struct CreatedAccount {
    store::Account account;
    std::string apiKey;  // "smbk_…", shown only now
};

// Throws std::invalid_argument naming the field when name or plan is unusable.
CreatedAccount createAccount(store::AccountStore& accounts, const std::string& name, const std::string& plan);

bool isAccountStatus(const std::string& status);

}  // namespace smbhub::accounts
