// Opens the store named by `database.url`: "sqlite:PATH" (the folder is created) or
// "postgresql://user:pass@host:port/db".
#pragma once

#include <memory>
#include <string>

#include "config/HubConfig.h"
#include "store/SqlStore.h"

namespace smbhub::store {

std::unique_ptr<SqlStore> openStore(const config::DatabaseConfig& database);

bool isSqliteUrl(const std::string& url);
// The file of a sqlite: URL.
std::string sqlitePath(const std::string& url);

}  // namespace smbhub::store
