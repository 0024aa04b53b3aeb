#include "support/JsonText.h"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace smbhub::test {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    if (path.empty()) return parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

bool isIndex(const std::string& part, std::size_t& index) {
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return false;
    index = std::stoul(part);
    return true;
}

Poco::Dynamic::Var step(const Poco::Dynamic::Var& value, const std::string& part) {
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        return object && object->has(part) ? object->get(part) : Poco::Dynamic::Var();
    }
    std::size_t index = 0;
    if (value.type() == typeid(Poco::JSON::Array::Ptr) && isIndex(part, index)) {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        return array && index < array->size() ? array->get(static_cast<unsigned>(index))
                                              : Poco::Dynamic::Var();
    }
    return Poco::Dynamic::Var();
}

}  // namespace

std::string jsonStringArray(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ",";
        out += jsonQuote(items[i]);
    }
    return out + "]";
}

Poco::Dynamic::Var parseJson(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(text);
    } catch (const Poco::Exception&) {
        return Poco::Dynamic::Var();
    }
}

std::string toJsonText(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

Poco::Dynamic::Var jsonAt(const Poco::Dynamic::Var& root, const std::string& path) {
    Poco::Dynamic::Var current = root;
    for (const auto& part : splitPath(path)) {
        current = step(current, part);
        if (current.isEmpty()) break;
    }
    return current;
}

bool jsonHas(const Poco::Dynamic::Var& root, const std::string& path) {
    return !jsonAt(root, path).isEmpty();
}

std::string jsonString(const Poco::Dynamic::Var& root, const std::string& path) {
    const Poco::Dynamic::Var value = jsonAt(root, path);
    if (value.isEmpty() || !value.isString()) return "";
    return value.convert<std::string>();
}

long long jsonInt(const Poco::Dynamic::Var& root, const std::string& path, long long fallback) {
    const Poco::Dynamic::Var value = jsonAt(root, path);
    if (value.isEmpty() || !value.isNumeric()) return fallback;
    try {
        return value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        return fallback;
    }
}

bool jsonBool(const Poco::Dynamic::Var& root, const std::string& path, bool fallback) {
    const Poco::Dynamic::Var value = jsonAt(root, path);
    if (value.isEmpty() || !value.isBoolean()) return fallback;
    return value.extract<bool>();
}

std::size_t jsonSize(const Poco::Dynamic::Var& root, const std::string& path) {
    return jsonArray(root, path).size();
}

std::vector<Poco::Dynamic::Var> jsonArray(const Poco::Dynamic::Var& root,
                                          const std::string& path) {
    std::vector<Poco::Dynamic::Var> items;
    const Poco::Dynamic::Var value = jsonAt(root, path);
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return items;
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (!array) return items;
    for (std::size_t i = 0; i < array->size(); ++i) {
        items.push_back(array->get(static_cast<unsigned>(i)));
    }
    return items;
}

}  // namespace smbhub::test
