// The database the stores share: its schema is migrated once and a newer one refused.
#include "StoreTest.h"

namespace smbhub::store {
namespace {

class SqlDatabaseTest : public StoreTest {};

TEST_P(SqlDatabaseTest, MigratesToTheLatestSchemaOnce) {
    EXPECT_EQ(store_->database().schemaVersion(), latestSchemaVersion());
    store_.reset();
    store_ = open();
    EXPECT_EQ(store_->database().schemaVersion(), latestSchemaVersion());
    EXPECT_TRUE(accounts().find("acc_1"));
}

// A database migrated by a newer smb-hub is refused, not misread (rolling back needs a backup).
TEST_P(SqlDatabaseTest, RefusesADatabaseFromANewerVersion) {
    accounts().create({"acc_3", "Third", "pro", "active", 1}, key("key_3", "acc_3", "hash3", 1));  // something to keep
    store_.reset();
    database()->execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)");
    try {
        open();
        FAIL() << "a database at schema version 99 was opened";
    } catch (const StoreUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this smb-hub knows"), std::string::npos)
            << e.what();
    }
}

SMBHUB_STORE_BACKENDS(SqlDatabaseTest);

}  // namespace
}  // namespace smbhub::store
