// The versioned schema. Each migration runs once, in order, inside a transaction, and is
// recorded in schema_migrations; start-up applies whatever is missing. The SQL is written once
// for SQLite and PostgreSQL (TEXT, BIGINT, INTEGER only), with per-backend lines where they differ.
//
// Thread-safety: migrateSchema runs once at start-up, on one session, before anything else uses the
// database.
#pragma once

#include <Poco/Data/Session.h>

#include <string>

#include "store/SqlDialect.h"

namespace smbhub::store {


// Applies missing migrations; returns the schema version now in force.
// The version the newest migration this smb-hub knows brings a database to.
int latestSchemaVersion();

int migrateSchema(Poco::Data::Session& session, const SqlDialect& dialect);

}  // namespace smbhub::store
