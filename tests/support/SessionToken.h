// Makes the dashboard's session cookie the way the dashboard would: an HS256 JWT with claims
// `sub` (account id) and `exp`, signed with auth.session_secret (SPEC §5). Built with Poco::JWT,
// not with the hub's code. Stateless, thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace smbhub::test {

class SessionToken {
public:
    static constexpr const char* kCookieName = "smb_session";

    static std::string sign(const std::string& secret, const std::string& accountId,
                            std::chrono::system_clock::time_point expiresAt);
    // A token whose `exp` is a JSON string instead of a NumericDate (which the hub must refuse).
    static std::string signWithStringExpiry(const std::string& secret, const std::string& accountId,
                                            const std::string& exp);
    // "smb_session=<jwt>" for a Cookie header.
    static std::string cookie(const std::string& jwt);
};

}  // namespace smbhub::test
