#include "auth/Authenticator.h"

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

#include <algorithm>

#include "crypto/ConstantTime.h"
#include "crypto/TokenHash.h"

namespace smbhub::auth {

Authenticator::Authenticator(store::AccountStore& accounts, std::string adminToken, std::string sessionSecret)
    : accounts_(accounts), adminToken_(std::move(adminToken)), sessionSecret_(std::move(sessionSecret)) {}

std::optional<Caller> Authenticator::identify(const std::string& authorization,
                                              const std::string& sessionCookie) const {
    static const std::string bearer = "Bearer ";
    if (!authorization.empty()) {
        if (authorization.size() <= bearer.size() ||
            !std::equal(bearer.begin(), bearer.end(), authorization.begin(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
            return std::nullopt;
        }
        return fromBearer(authorization.substr(bearer.size()));
    }
    if (!sessionCookie.empty()) return fromSession(sessionCookie);
    return std::nullopt;
}

std::optional<Caller> Authenticator::fromBearer(const std::string& token) const {
    if (!adminToken_.empty() && crypto::constantTimeEquals(token, adminToken_)) {
        Caller caller;
        caller.admin = true;
        return caller;
    }
    if (token.rfind("smbk_", 0) != 0) return std::nullopt;
    // The lookup is by a hash of the key, so its timing says nothing about stored keys.
    auto account = accounts_.findByApiKeyHash(crypto::sha256Hex(token));
    if (!account) return std::nullopt;
    Caller caller;
    caller.account = std::move(account);
    return caller;
}

std::optional<Caller> Authenticator::fromSession(const std::string& jwt) const {
    if (sessionSecret_.empty()) return std::nullopt;
    try {
        Poco::JWT::Signer signer(sessionSecret_);
        signer.addAlgorithm(Poco::JWT::Signer::ALGO_HS256);
        Poco::JWT::Token token;
        if (!signer.tryVerify(jwt, token)) return std::nullopt;
        if (token.getAlgorithm() != Poco::JWT::Signer::ALGO_HS256) return std::nullopt;
        // Sessions must expire, and `exp` is a NumericDate (RFC 7519): a string is not one.
        if (!token.payload().has("exp") || !token.payload().get("exp").isNumeric()) return std::nullopt;
        if (token.getExpiration() <= Poco::Timestamp()) return std::nullopt;
        const std::string subject = token.getSubject();
        if (subject.empty()) return std::nullopt;
        // Signed in with an API key (POST /api/session): valid only while that key is.
        if (token.payload().has("kid")) {
            const Poco::Dynamic::Var kid = token.payload().get("kid");
            if (!kid.isString() || !accounts_.apiKeyActive(kid.convert<std::string>())) return std::nullopt;
        }
        auto account = accounts_.find(subject);
        if (!account) return std::nullopt;
        Caller caller;
        caller.account = std::move(account);
        caller.bySession = true;
        return caller;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> Authenticator::planProblem(const store::Account& account,
                                                      const std::vector<std::string>& paidPlans) {
    if (account.status != "active") return "this account is " + account.status;
    if (std::find(paidPlans.begin(), paidPlans.end(), account.plan) == paidPlans.end()) {
        return "integrations need a paid plan; this account is on \"" + account.plan + "\"";
    }
    return std::nullopt;
}

std::string issueSessionToken(const std::string& sessionSecret, const std::string& accountId,
                              std::int64_t expiresAtUnixSeconds, const std::string& apiKeyId) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(accountId);
    if (!apiKeyId.empty()) token.payload().set("kid", apiKeyId);
    token.setExpiration(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(expiresAtUnixSeconds)));
    Poco::JWT::Signer signer(sessionSecret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

}  // namespace smbhub::auth
