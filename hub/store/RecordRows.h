// How the records of store/Records.h are read from rows: the columns each query selects and one
// mapping function per record. Used by the SQL stores (and the dialect's claim statement).
//
// Thread-safety: pure functions and constant column lists, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "store/DeliveryQueue.h"
#include "store/RowReader.h"

namespace smbhub::store {

// integrations.events is a comma-separated list.
std::string joinEvents(const std::vector<std::string>& events);
std::vector<std::string> splitEvents(const std::string& text);

extern const char* const kAccountColumns;      // accounts
extern const char* const kIntegrationColumns;  // integrations
extern const char* const kAttemptColumns;      // attempts
// deliveries `d` joined to events `e`.
std::string claimedDeliveryColumns();

Account accountFrom(const Row& row);
Integration integrationFrom(const Row& row);
Attempt attemptFrom(const Row& row);
// The columns of claimedDeliveryColumns() that are the delivery's own.
Delivery deliveryFrom(const Row& row);
ClaimedDelivery claimedDeliveryFrom(const Row& row);

}  // namespace smbhub::store
