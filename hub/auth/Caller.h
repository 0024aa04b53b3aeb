// Who is calling the API: an account (by API key or session cookie) or the main application
// (by the admin token).
#pragma once

#include <optional>

#include "store/Records.h"

namespace smbhub::auth {

struct Caller {
    bool admin = false;
    std::optional<store::Account> account;  // set for account callers
};

}  // namespace smbhub::auth
