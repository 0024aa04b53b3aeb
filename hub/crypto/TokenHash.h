// API keys are stored only as SHA-256 hex digests. Keys carry 32 random bytes, so a fast hash
// is enough: there is nothing to brute-force.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace smbhub::crypto {

std::string sha256Hex(std::string_view data);

}  // namespace smbhub::crypto
