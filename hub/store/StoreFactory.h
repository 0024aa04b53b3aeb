// Opens the hub's database named by `database.url` (core/DatabaseUrl): "sqlite:PATH" (the folder
// is created, the files readable by their owner only) or "postgresql://user:pass@host:port/db".
//
// Thread-safety: openStores is called once, at start-up; the stores it opens are thread-safe
// (Stores.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "store/Stores.h"

namespace smbhub::store {

// Throws StoreUnavailable naming the cause.
std::unique_ptr<SqlStores> openStores(const std::string& url, int poolSize, std::chrono::milliseconds timeout);

}  // namespace smbhub::store
