// Identifies the caller of a request (SPEC §5): `Authorization: Bearer <admin token>` is the
// service credential; `Bearer smbk_…` an account's API key (looked up by its SHA-256); the
// `smb_session` cookie an HS256 JWT with `sub` = account id and `exp`. Comparisons of secrets
// are timing-safe. Returns nullopt for missing or bad credentials (the API answers 401).
//
// Thread-safety: built once at start-up; identify() may be called from any thread at once (it reads
// its immutable members and the thread-safe AccountStore); issueSessionToken is a pure function.
#pragma once

#include <optional>
#include <string>

#include "auth/Caller.h"
#include "store/AccountStore.h"

namespace smbhub::auth {

class Authenticator {
public:
    Authenticator(store::AccountStore& accounts, std::string adminToken, std::string sessionSecret);

    // `authorization` is the Authorization header (may be empty); `sessionCookie` the value of
    // the smb_session cookie (may be empty).
    std::optional<Caller> identify(const std::string& authorization,
                                   const std::string& sessionCookie) const;

    // Whether the account may use integration endpoints; the reason when it may not.
    static std::optional<std::string> planProblem(const store::Account& account,
                                                  const std::vector<std::string>& paidPlans);

private:
    std::optional<Caller> fromBearer(const std::string& token) const;
    std::optional<Caller> fromSession(const std::string& jwt) const;

    store::AccountStore& accounts_;
    std::string adminToken_;
    std::string sessionSecret_;
};

// Issues a session cookie value for `accountId`. `apiKeyId`, when given, is the key the session
// was signed in with (claim `kid`): the session is refused once that key is revoked. Sessions the
// main application signs carry no `kid` and are bound to no key.
std::string issueSessionToken(const std::string& sessionSecret, const std::string& accountId,
                              std::int64_t expiresAtUnixSeconds, const std::string& apiKeyId = "");

}  // namespace smbhub::auth
