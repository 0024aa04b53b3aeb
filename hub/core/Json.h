// The hub's one way to build and write JSON objects: members keep their insertion order (API
// responses and delivered envelopes read better that way) and text is written condensed; and its
// one way to quote a string into hand-written JSON (log lines, the envelope's head, the tests'
// request bodies). Built as a library of its own, hub_json, that the test support links too.
//
// Thread-safety: pure functions, safe from any thread; an object belongs to the thread that builds it until it is
// written.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

namespace smbhub::core {

Poco::JSON::Object::Ptr orderedObject();
std::string condensedJson(const Poco::JSON::Object::Ptr& object);
// `text` as a JSON string literal, quotes included, for hand-written JSON such as log lines:
// control characters escaped, '/' left alone (Poco writes "\/"), invalid UTF-8 replaced by
// U+FFFD so that the result is always valid JSON.
std::string jsonQuote(std::string_view text);

}  // namespace smbhub::core
