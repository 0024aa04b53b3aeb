// Who is calling the API: an account (by API key or session cookie) or the main application
// (by the admin token).
//
// Thread-safety: a value.
#pragma once

#include <optional>

#include "store/Records.h"

namespace smbhub::auth {

struct Caller {
    bool admin = false;
    bool bySession = false;  // identified by the smb_session cookie (a browser): SPEC §13's CSRF rule applies
    std::optional<store::Account> account;  // set for account callers
};

}  // namespace smbhub::auth
