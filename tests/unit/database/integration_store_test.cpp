// Integrations: scoped to their account, what fan-out reads of them, deletion.
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
    EXPECT_EQ(queue().stats("int_a").cancelled, 1);
    EXPECT_TRUE(queue().claimDue("w:1", 10, 1000, 10).empty());
}

SMBHUB_STORE_BACKENDS(IntegrationStoreTest);

}  // namespace
}  // namespace smbhub::store
