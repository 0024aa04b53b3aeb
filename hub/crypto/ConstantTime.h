// Comparison of secrets whose time does not depend on where they differ.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <string_view>

namespace smbhub::crypto {

bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace smbhub::crypto
