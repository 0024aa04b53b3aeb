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

TEST_P(AccountStoreTest, ApiKeysAreListedWithoutTheirHashAndRevokedForGood) {
    ASSERT_TRUE(accounts().addApiKey(key("key_1b", "acc_1", "hash1b", 5)));
    EXPECT_FALSE(accounts().addApiKey(key("key_x", "acc_x", "hashx", 5))) << "no such account";
    auto keys = accounts().listApiKeys("acc_1");
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].id, "key_1");
    EXPECT_EQ(keys[1].id, "key_1b");
    EXPECT_EQ(keys[1].prefix, "smbk_1b");
    EXPECT_FALSE(keys[1].lastUsedAt);

    // A use is noted (to the minute), on the key that was used.
    EXPECT_EQ(accounts().findByApiKeyHash("hash1b")->id, "acc_1");
    keys = accounts().listApiKeys("acc_1");
    EXPECT_FALSE(keys[0].lastUsedAt);
    ASSERT_TRUE(keys[1].lastUsedAt);

    EXPECT_EQ(accounts().activeApiKeyId("hash1b"), std::optional<std::string>("key_1b"));
    EXPECT_TRUE(accounts().apiKeyActive("key_1b"));
    EXPECT_FALSE(accounts().apiKeyActive("key_nope"));

    EXPECT_FALSE(accounts().revokeApiKey("acc_2", "key_1b", 10)) << "another account's key";
    EXPECT_TRUE(accounts().revokeApiKey("acc_1", "key_1b", 10));
    EXPECT_FALSE(accounts().revokeApiKey("acc_1", "key_1b", 11)) << "already revoked";
    EXPECT_FALSE(accounts().findByApiKeyHash("hash1b"));
    EXPECT_FALSE(accounts().activeApiKeyId("hash1b"));
    EXPECT_FALSE(accounts().apiKeyActive("key_1b"));
    EXPECT_EQ(accounts().findByApiKeyHash("hash1")->id, "acc_1") << "the other key still works";
    ASSERT_EQ(accounts().listApiKeys("acc_1").size(), 1u);
    // Another process sharing the database refuses it too: nothing is cached.
    EXPECT_FALSE(open()->stores().accounts.findByApiKeyHash("hash1b"));
}

TEST_P(AccountStoreTest, ListsAccountsPageByPageInCreationOrder) {
    for (int i = 3; i <= 7; ++i) {
        const std::string n = std::to_string(i);
        // Two accounts share each creation time: the id breaks the tie.
        accounts().create({"acc_" + n, "Co " + n, "pro", "active", 10 + i / 2},
                          key("key_" + n, "acc_" + n, "hash" + n, 10 + i / 2));
    }
    std::vector<std::string> seen;
    std::optional<AccountPosition> after;
    for (int page = 0; page < 10; ++page) {
        const auto accountsPage = accounts().list(after, 3);
        for (const auto& a : accountsPage) seen.push_back(a.id);
        if (accountsPage.size() < 3) break;
        after = AccountPosition{accountsPage.back().createdAt, accountsPage.back().id};
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"acc_1", "acc_2", "acc_3", "acc_4", "acc_5", "acc_6", "acc_7"}));
}

SMBHUB_STORE_BACKENDS(AccountStoreTest);

}  // namespace
}  // namespace smbhub::store
