// The store's hot writes, each a HotStatement: compiled once on SQLite, re-bound per row.
// Used by one thread at a time (the store's connection lock or one transaction).
#pragma once

#include <Poco/Data/Session.h>

#include <string>

#include "store/HotStatement.h"
#include "store/Records.h"

namespace smbhub::store {

class PreparedWriters {
public:
    explicit PreparedWriters(Poco::Data::Session& session);

    void insertEvent(const Event& event);
    void insertDelivery(const Delivery& delivery);
    // False when an attempt with its id is already logged (an outcome recorded again after a
    // commit whose acknowledgement was lost): nothing is written then.
    bool insertAttempt(const Attempt& attempt);
    // Marks a delivery succeeded if `leaseOwner` still holds it.
    void succeedDelivery(const std::string& deliveryId, const std::string& leaseOwner, std::int64_t now);
    // An integration's bookkeeping after a batch of attempts: last attempt time, requests the
    // destination accepted, and its failure streak (restarted at `streak` after a success, else
    // grown by it).
    void tallyIntegration(const std::string& integrationId, std::int64_t lastAttemptAt, int requestsAccepted,
                          bool succeeded, int streak);

private:
    HotStatement insertEvent_;
    HotStatement insertDelivery_;
    HotStatement insertAttempt_;
    HotStatement succeedDelivery_;
    HotStatement tallyIntegration_;
};

}  // namespace smbhub::store
