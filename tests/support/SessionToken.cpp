#include "support/SessionToken.h"

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

namespace smbhub::test {

std::string SessionToken::sign(const std::string& secret, const std::string& accountId,
                               std::chrono::system_clock::time_point expiresAt) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(accountId);
    token.setIssuedAt(Poco::Timestamp());
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(expiresAt.time_since_epoch());
    token.setExpiration(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros.count())));
    Poco::JWT::Signer signer(secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string SessionToken::cookie(const std::string& jwt) {
    return std::string(kCookieName) + "=" + jwt;
}

}  // namespace smbhub::test
