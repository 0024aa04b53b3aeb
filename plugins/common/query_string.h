// Query strings for the OAuth authorization URLs.
//
// Everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) is percent-encoded, so
// a space becomes %20: every OAuth server decodes that, whereas '+' means a space only to
// form-encoding readers. A redirect URI or state can therefore never break out of its parameter.
//
// Thread-safety: pure functions, safe from any thread; QueryParam is a value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smbhub::providers {

struct QueryParam {
    std::string name;
    std::string value;
};

std::string percentEncode(std::string_view text);

// "a=1&b=x%20y" in the order given.
std::string queryString(const std::vector<QueryParam>& params);

}  // namespace smbhub::providers
