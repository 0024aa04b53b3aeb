// Byte encodings used across the hub: hex, base64, base64url (no padding).
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbhub::core {

std::string hexEncode(std::string_view bytes);
std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);
std::string base64UrlEncode(std::string_view bytes);
// Unpadded (or padded) base64url; nullopt for anything else.
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace smbhub::core
