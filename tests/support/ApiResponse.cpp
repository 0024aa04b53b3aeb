#include "support/ApiResponse.h"

#include "support/JsonText.h"

namespace smbhub::test {

std::string ApiResponse::string(const std::string& path) const { return jsonString(json, path); }

long long ApiResponse::integer(const std::string& path) const { return jsonInt(json, path); }

std::string ApiResponse::describe() const {
    if (!transportError.empty()) return "no response: " + transportError;
    constexpr std::size_t kShown = 2000;
    return std::to_string(status) + " " +
           (body.size() <= kShown ? body : body.substr(0, kShown) + "…");
}

}  // namespace smbhub::test
