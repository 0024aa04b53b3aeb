// One Clay table row from a JSON object.
//
// Clay makes a column of each top-level key of the JSON it receives and shows a nested value as
// one opaque cell. So nested objects are flattened into their parent with "_" between the keys
// (address.city becomes address_city: a name that reads as one column in Clay's formulas and in
// the CSV and CRM exports users build from the table, where a "." would look like a path into a
// nested value), and arrays become their JSON text, which Clay's JSON functions can still take
// apart. Scalars keep their JSON type. An empty nested object adds no column; should two keys
// flatten to the same name, the later one wins, in place of the earlier.
//
// Key order is kept (parse with a key-order-preserving Poco::JSON::ParseHandler), because Clay
// lays out new columns in the order of the first row it receives.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <Poco/JSON/Object.h>

namespace smbhub::providers {

Poco::JSON::Object::Ptr clayRow(const Poco::JSON::Object& object);

}  // namespace smbhub::providers
