// Creating accounts and issuing their API keys, shared by the CLI and /api/admin. A key is
// returned once, when it is issued, and stored only as a hash; what may be shown of it later is
// its id (key_…) and prefix ("smbk_" and its first six characters).
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
    store::ApiKey key;
    std::string apiKey;  // "smbk_…", shown only now
};

struct IssuedApiKey {
    store::ApiKey key;
    std::string apiKey;  // "smbk_…", shown only now
};

// Throws std::invalid_argument naming the field when name or plan is unusable.
CreatedAccount createAccount(store::AccountStore& accounts, const std::string& name, const std::string& plan);

// A new key for an existing account; nullopt when there is no such account.
std::optional<IssuedApiKey> issueApiKey(store::AccountStore& accounts, const std::string& accountId);

bool isAccountStatus(const std::string& status);

}  // namespace smbhub::accounts
