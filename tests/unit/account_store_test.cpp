// Accounts and API keys (hashes only).
#include "StoreTest.h"

namespace smbhub::store {
namespace {

class AccountStoreTest : public StoreTest {};

TEST_P(AccountStoreTest, FindsAccountsByKeyHashAndUpdatesThem) {
    EXPECT_EQ(accounts().findByApiKeyHash("hash1")->id, "acc_1");
    EXPECT_FALSE(accounts().findByApiKeyHash("nope"));
    EXPECT_TRUE(accounts().update("acc_1", std::string("free"), std::string("suspended")));
    EXPECT_EQ(accounts().find("acc_1")->plan, "free");
    EXPECT_EQ(accounts().find("acc_1")->status, "suspended");
    EXPECT_FALSE(accounts().update("acc_x", std::string("pro"), std::nullopt));
}

SMBHUB_STORE_BACKENDS(AccountStoreTest);

}  // namespace
}  // namespace smbhub::store
