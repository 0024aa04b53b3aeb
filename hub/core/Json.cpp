#include "core/Json.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace smbhub::core {

Poco::JSON::Object::Ptr orderedObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string condensedJson(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(object, out);
    return out.str();
}

}  // namespace smbhub::core
