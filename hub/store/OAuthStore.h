// OAuth connections of CRM providers (SPEC §9): the single-use states an authorization started
// with (only their hashes) and the connections made.
//
// Thread-safety: every method may be called from any thread. Every write is one transaction.
// Failures: see store/StoreErrors.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/Records.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

// What became of an OAuth state presented at a callback.
enum class OAuthStateCheck { Valid, Unknown, Reused, Expired, OtherProvider };

struct ConsumedOAuthState {
    OAuthStateCheck check = OAuthStateCheck::Unknown;
    OAuthState state;  // when Valid
};

class OAuthStore {
public:
    virtual ~OAuthStore() = default;

    virtual void createState(const OAuthState& state) = 0;
    // A state is consumed at most once; an unknown, used, expired or other provider's state
    // writes nothing but its verdict.
    virtual ConsumedOAuthState consumeState(const std::string& stateHash, const std::string& provider,
                                            std::int64_t now) = 0;
    virtual void recordConnection(const OAuthConnection& connection) = 0;
    virtual std::vector<OAuthConnection> connections(const std::string& accountId) = 0;
};

}  // namespace smbhub::store
