// The store's hot writes as statements compiled once and executed many times with new values.
// Compiling SQL text on every use was a third of the store's time under load; a prepared
// statement is reset and re-bound instead. Values are bound by reference to the members below,
// so a writer is used by one thread at a time (the store's connection lock or transaction).
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <string>

#include "store/Records.h"

namespace smbhub::store {

class PreparedWriters {
public:
    explicit PreparedWriters(Poco::Data::Session& session);

    void insertEvent(const Event& event);
    void insertDelivery(const Delivery& delivery);
    void insertAttempt(const Attempt& attempt);
    // Marks a delivery succeeded if `leaseOwner` still holds it.
    void succeedDelivery(const std::string& deliveryId, const std::string& leaseOwner, std::int64_t now);
    // An integration's bookkeeping after a batch of attempts: last attempt time, requests the
    // destination accepted, and its failure streak (restarted at `streak` after a success, else
    // grown by it).
    void tallyIntegration(const std::string& integrationId, std::int64_t lastAttemptAt, int requestsAccepted,
                          bool succeeded, int streak);

private:
    Event event_;
    Poco::Int64 eventCreatedAt_ = 0;
    int eventTest_ = 0;
    Poco::Data::Statement insertEvent_;

    Delivery delivery_;
    Poco::Int64 deliveryNextAttemptAt_ = 0;
    Poco::Int64 deliveryCreatedAt_ = 0;
    Poco::Data::Statement insertDelivery_;

    Attempt attempt_;
    Poco::Nullable<int> responseStatus_;
    Poco::Nullable<std::string> responseBody_;
    Poco::Nullable<std::string> error_;
    Poco::Int64 durationMs_ = 0;
    Poco::Int64 attemptCreatedAt_ = 0;
    Poco::Nullable<Poco::Int64> nextAttemptAt_;
    Poco::Data::Statement insertAttempt_;

    std::string succeededId_;
    std::string succeededOwner_;
    Poco::Int64 succeededAt_ = 0;
    Poco::Data::Statement succeedDelivery_;

    std::string tallyId_;
    Poco::Int64 tallyLastAt_ = 0;
    int tallyAccepted_ = 0;
    int tallySucceeded_ = 0;
    int tallyStreak_ = 0;
    Poco::Data::Statement tallyIntegration_;
};

}  // namespace smbhub::store
