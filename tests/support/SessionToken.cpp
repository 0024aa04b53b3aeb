#include "support/SessionToken.h"

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

namespace smbhub::test {

std::string SessionToken::sign(const std::string& secret, const std::string& accountId,
                               std::chrono::system_clock::time_point expiresAt) {
    // Whole seconds, as NumericDate is usually read; Poco's setExpiration() writes fractions.
    const auto seconds = [](std::chrono::system_clock::time_point at) {
        return static_cast<Poco::Int64>(
            std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    };
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(accountId);
    token.payload().set("iat", seconds(std::chrono::system_clock::now()));
    token.payload().set("exp", seconds(expiresAt));
    Poco::JWT::Signer signer(secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string SessionToken::signWithStringExpiry(const std::string& secret, const std::string& accountId,
                                              const std::string& exp) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(accountId);
    token.payload().set("exp", exp);
    Poco::JWT::Signer signer(secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string SessionToken::cookie(const std::string& jwt) {
    return std::string(kCookieName) + "=" + jwt;
}

}  // namespace smbhub::test
