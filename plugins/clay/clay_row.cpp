#include "clay_row.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

namespace smbhub::providers {
namespace {

std::string jsonText(const Poco::JSON::Array::Ptr& array) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(array, out);
    return out.str();
}

// Recursion depth is bounded by the JSON parser's own nesting limit (128 by default).
void addColumns(Poco::JSON::Object& row, const Poco::JSON::Object& object, const std::string& prefix) {
    for (const std::string& key : object.getNames()) {
        const Poco::Dynamic::Var& value = object.get(key);
        const std::string column = prefix + key;
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto nested = value.extract<Poco::JSON::Object::Ptr>();
            if (nested) addColumns(row, *nested, column + "_");
        } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
            row.set(column, jsonText(value.extract<Poco::JSON::Array::Ptr>()));
        } else {
            row.set(column, value);
        }
    }
}

}  // namespace

Poco::JSON::Object::Ptr clayRow(const Poco::JSON::Object& object) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    addColumns(*row, object, "");
    return row;
}

}  // namespace smbhub::providers
