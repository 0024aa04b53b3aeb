// OAuthStore on the hub's SQL database.
//
// Thread-safety: as OAuthStore.
#pragma once

#include "store/OAuthStore.h"
#include "store/SqlDatabase.h"

namespace smbhub::store {

class SqlOAuthStore final : public OAuthStore {
public:
    explicit SqlOAuthStore(SqlDatabase& db) : db_(db) {}

    void createState(const OAuthState& state) override;
    ConsumedOAuthState consumeState(const std::string& stateHash, const std::string& provider,
                                    std::int64_t now) override;
    void recordConnection(const OAuthConnection& connection) override;
    std::vector<OAuthConnection> connections(const std::string& accountId) override;

private:
    SqlDatabase& db_;
};

}  // namespace smbhub::store
