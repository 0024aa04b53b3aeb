// The hub's database as the rest of the hub sees it: four small stores, one per aggregate —
// accounts, integrations, the delivery queue (events, deliveries, attempts), OAuth — and whether
// the database can be used now. SqlStores is their implementation on SQLite or PostgreSQL
// (store/SqlDatabase); tests give the parts they exercise fakes of these interfaces.
//
// Thread-safety: every store may be used from any thread; SqlStores is built once at start-up.
#pragma once

#include <functional>

#include "store/AccountStore.h"
#include "store/DeliveryQueue.h"
#include "store/IntegrationStore.h"
#include "store/OAuthStore.h"
#include "store/SqlAccountStore.h"
#include "store/SqlDatabase.h"
#include "store/SqlDeliveryQueue.h"
#include "store/SqlIntegrationStore.h"
#include "store/SqlOAuthStore.h"
#include "store/StoreErrors.h"

namespace smbhub::store {

struct Stores {
    AccountStore& accounts;
    IntegrationStore& integrations;
    DeliveryQueue& deliveries;
    OAuthStore& oauth;
    std::function<DatabaseStatus()> databaseStatus;
    std::function<int()> connectionsInUse;  // database connections lent right now (metrics)
};

class SqlStores {
public:
    explicit SqlStores(const SqlDatabase::Options& options)
        : database_(options),
          accounts_(database_),
          integrations_(database_),
          deliveries_(database_, [this] { integrations_.forgetFanout(); }),
          oauth_(database_) {}
    SqlStores(const SqlStores&) = delete;
    SqlStores& operator=(const SqlStores&) = delete;

    SqlDatabase& database() { return database_; }
    Stores stores() {
        return Stores{accounts_, integrations_, deliveries_, oauth_, [this] { return database_.status(); },
                      [this] { return database_.connectionsInUse(); }};
    }

private:
    SqlDatabase database_;
    SqlAccountStore accounts_;
    SqlIntegrationStore integrations_;
    SqlDeliveryQueue deliveries_;
    SqlOAuthStore oauth_;
};

}  // namespace smbhub::store
