// Small helpers for JSON in tests: quoting values into JSON text (with the hub's one quoter,
// core::jsonQuote: it only builds what a test sends), parsing, and reading a value
// by a dotted path ("error.code", "deliveries.0.status", "data.leads") without a page of Poco
// casts. Missing paths give an empty Var, "" or the fallback, never an exception, so a test's
// assertion reports the wrong value instead of crashing. Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "core/Json.h"

namespace smbhub::test {

// `text` as a JSON string literal, quotes included.
using core::jsonQuote;
// ["a","b"] from strings.
std::string jsonStringArray(const std::vector<std::string>& items);
// Parses JSON text; an empty Var when it is not JSON.
Poco::Dynamic::Var parseJson(const std::string& text);
// Serialises a parsed value back to compact JSON text.
std::string toJsonText(const Poco::Dynamic::Var& value);

// The value at `path` (keys and array indexes separated by dots); empty Var when missing.
Poco::Dynamic::Var jsonAt(const Poco::Dynamic::Var& root, const std::string& path);
bool jsonHas(const Poco::Dynamic::Var& root, const std::string& path);
std::string jsonString(const Poco::Dynamic::Var& root, const std::string& path);
long long jsonInt(const Poco::Dynamic::Var& root, const std::string& path, long long fallback = -1);
bool jsonBool(const Poco::Dynamic::Var& root, const std::string& path, bool fallback = false);
// Element count of the array at `path`; 0 when it is missing or not an array.
std::size_t jsonSize(const Poco::Dynamic::Var& root, const std::string& path);
// The elements of the array at `path` (empty when missing).
std::vector<Poco::Dynamic::Var> jsonArray(const Poco::Dynamic::Var& root, const std::string& path);

}  // namespace smbhub::test
