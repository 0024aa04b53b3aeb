// What the hub accepts as a JSON request body (SPEC §13), checked before Poco::JSON parses it,
// because Poco quietly keeps the last of two equal keys and wraps integers past 64 bits:
// - RFC 8259 grammar, one value, nothing after it;
// - no object with the same key twice;
// - integers (no fraction or exponent) from −2^63 to 2^64−1; other numbers finite, and when
//   they are whole, no larger than 2^53 (beyond that a double is no longer exact);
// - strings valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF), escapes
//   well-formed, \u surrogates paired;
// - nesting at most `maxDepth` deep.
// A pure function (unit-tested and fuzzed); `field` names where the problem is, as a path such
// as "data.leads[2].name" ("" for the document itself).
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smbhub::core {

struct JsonProblem {
    std::string message;
    std::string field;
};

std::optional<JsonProblem> checkStrictJson(std::string_view text, int maxDepth = 64);

}  // namespace smbhub::core
