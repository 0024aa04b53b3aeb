// Integrations: scoped to their account, what fan-out reads of them, deletion, the rate limit
// and the rotation of their signing secret.
#include "StoreTest.h"

namespace smbhub::store {
namespace {

class IntegrationStoreTest : public StoreTest {};

TEST_P(IntegrationStoreTest, IntegrationsAreScopedToTheirAccount) {
    integrations().create(integration("int_a"));
    EXPECT_TRUE(integrations().find("acc_1", "int_a"));
    EXPECT_FALSE(integrations().find("acc_2", "int_a"));
    EXPECT_EQ(integrations().list("acc_1").size(), 1u);
    EXPECT_TRUE(integrations().list("acc_2").empty());
    EXPECT_FALSE(integrations().remove("acc_2", "int_a"));
    Integration changed = integration("int_a", "acc_2");
    changed.displayName = "hijack";
    EXPECT_FALSE(integrations().update(changed));
    EXPECT_EQ(integrations().find("acc_1", "int_a")->displayName, "Hook int_a");
    EXPECT_EQ(integrations().find("acc_1", "int_a")->events,
              (std::vector<std::string>{"lead.created", "export.completed"}));
}

TEST_P(IntegrationStoreTest, FanoutTargetsFollowChangesMadeThroughTheStore) {
    integrations().create(integration("int_a"));
    ASSERT_EQ(integrations().fanoutTargets("acc_1").size(), 1u);
    Integration paused = *integrations().find("acc_1", "int_a");
    paused.status = "paused";
    integrations().update(paused);
    EXPECT_EQ(integrations().fanoutTargets("acc_1").at(0).status, "paused");
    integrations().create(integration("int_b"));
    EXPECT_EQ(integrations().fanoutTargets("acc_1").size(), 2u);
    integrations().remove("acc_1", "int_a");
    EXPECT_EQ(integrations().fanoutTargets("acc_1").size(), 1u);
}

TEST_P(IntegrationStoreTest, DeletingCancelsPendingDeliveries) {
    integrations().create(integration("int_a"));
    queue().publish(batch("evt_1", {"int_a"}));
    EXPECT_TRUE(integrations().remove("acc_1", "int_a"));
    EXPECT_EQ(database()->query("SELECT status FROM deliveries WHERE integration_id = 'int_a'"),
              (std::vector<std::vector<std::string>>{{"cancelled"}}));
    EXPECT_TRUE(queue().claimDue("w:1", 10, 1000, 10).empty());
}

TEST_P(IntegrationStoreTest, TheRateLimitIsStoredOnCreateAndUpdate) {
    Integration limited = integration("int_a");
    limited.rateLimitPerSecond = 10;
    integrations().create(limited);
    Integration found = *integrations().find("acc_1", "int_a");
    EXPECT_EQ(found.rateLimitPerSecond, 10);
    found.rateLimitPerSecond = 0;
    ASSERT_TRUE(integrations().update(found));
    EXPECT_EQ(integrations().byId("int_a")->rateLimitPerSecond, 0);
}

TEST_P(IntegrationStoreTest, ARotationKeepsTheReplacedSecretUntilItExpires) {
    integrations().create(integration("int_a"));
    EXPECT_FALSE(integrations().rotateSigningSecret("acc_2", "int_a", "sealed-2", 5000, 100)) << "another account's";
    EXPECT_FALSE(integrations().rotateSigningSecret("acc_1", "int_missing", "sealed-2", 5000, 100));
    ASSERT_TRUE(integrations().rotateSigningSecret("acc_1", "int_a", "sealed-2", 5000, 100));
    Integration found = *integrations().find("acc_1", "int_a");
    EXPECT_EQ(found.signingSecretSealed, "sealed-2");
    EXPECT_EQ(found.previousSigningSecretSealed, "sealed");
    EXPECT_EQ(found.previousSecretExpiresAt, 5000);
    EXPECT_EQ(found.updatedAt, 100);
    // A second rotation drops the first secret, whatever its expiry was.
    ASSERT_TRUE(integrations().rotateSigningSecret("acc_1", "int_a", "sealed-3", 200, 150));
    found = *integrations().byId("int_a");
    EXPECT_EQ(found.signingSecretSealed, "sealed-3");
    EXPECT_EQ(found.previousSigningSecretSealed, "sealed-2");
    EXPECT_EQ(found.previousSecretExpiresAt, 200);
}

SMBHUB_STORE_BACKENDS(IntegrationStoreTest);

}  // namespace
}  // namespace smbhub::store
