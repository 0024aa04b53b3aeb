#include "clay_provider.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "clay_row.h"
#include "common/event_types.h"
#include "common/url_match.h"

namespace smbhub::providers {
namespace {

const std::string kAuthSetting = "authToken";
const std::string kAuthHeader = "x-clay-webhook-auth";

bool isLeadEvent(const std::string& type) { return type == "lead.created" || type == "lead.updated"; }

// A header value that survives the trip unchanged: printable ASCII (so no CR/LF can start
// another header), without the outer spaces HTTP parsers strip.
bool isHeaderSafe(const std::string& value) {
    const auto printable = [](char c) { return c >= 0x20 && c <= 0x7E; };
    return !value.empty() && std::all_of(value.begin(), value.end(), printable) &&
           value.front() != ' ' && value.back() != ' ';
}

// An empty token counts as none: a form with the optional field left blank sends "".
std::string authToken(const std::map<std::string, std::string>& settings) {
    const auto it = settings.find(kAuthSetting);
    return it == settings.end() ? std::string() : it->second;
}

Poco::JSON::Object::Ptr parseData(const std::string& json) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep column order
        const Poco::Dynamic::Var parsed = parser.parse(json);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
            if (auto data = parsed.extract<Poco::JSON::Object::Ptr>()) return data;
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("the event's data is not valid JSON: " + e.displayText());
    }
    throw std::runtime_error("the event's data is not a JSON object");
}

void addEventColumns(Poco::JSON::Object& row, const sdk::EventView& event) {
    row.set("event_id", event.id);
    row.set("event_type", event.type);
    if (event.test) row.set("event_test", true);
}

std::vector<Poco::JSON::Object::Ptr> leadRows(const Poco::JSON::Object& data,
                                              const sdk::EventView& event) {
    const Poco::JSON::Array::Ptr leads = data.getArray("leads");
    if (!leads || leads->size() == 0) {
        throw std::runtime_error(event.type + " carries no leads to send as Clay rows");
    }
    const bool hasExport = data.has("exportId") && data.get("exportId").isString();
    std::vector<Poco::JSON::Object::Ptr> rows;
    for (std::size_t i = 0; i < leads->size(); ++i) {
        const Poco::JSON::Object::Ptr lead = leads->getObject(static_cast<unsigned>(i));
        if (!lead) throw std::runtime_error("lead " + std::to_string(i) + " is not a JSON object");
        Poco::JSON::Object::Ptr row = clayRow(*lead);
        addEventColumns(*row, event);
        if (hasExport) row->set("export_id", data.get("exportId"));
        rows.push_back(row);
    }
    return rows;
}

std::string jsonText(const Poco::JSON::Object::Ptr& row) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(row, out);
    return out.str();
}

}  // namespace

sdk::ProviderInfo ClayProvider::describe() const {
    sdk::ProviderInfo info;
    info.id = "clay";
    info.name = "Clay";
    info.kind = sdk::ProviderKind::Webhook;
    info.status = sdk::ProviderStatus::Live;
    info.description = "Clay table \"Import data\" webhook with HMAC-signed JSON rows";
    info.events = allEventTypes();
    info.requestLimit = kClayRowLimit;
    sdk::SettingField token;
    token.name = kAuthSetting;
    token.description = "The webhook source's auth token, sent as " + kAuthHeader;
    token.secret = true;
    info.settingFields = {token};
    return info;
}

sdk::Validation ClayProvider::validate(const sdk::IntegrationInput& input) const {
    const sdk::TargetUrl& url = input.target;
    const auto segments = pathSegments(url.path);
    const bool hasPath = std::any_of(segments.begin(), segments.end(),
                                     [](std::string_view s) { return !s.empty(); });
    if (url.host != "api.clay.com" || !usesStandardPort(url) || !hasPath) {
        return sdk::Validation::reject(
            "targetUrl",
            "targetUrl must be a Clay table webhook URL, like "
            "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-<id>");
    }
    const std::string token = authToken(input.settings);
    if (!token.empty() && !isHeaderSafe(token)) {
        return sdk::Validation::reject(
            "settings." + kAuthSetting,
            "settings." + kAuthSetting +
                " must be printable ASCII without leading or trailing spaces");
    }
    return sdk::Validation::accept();
}

std::vector<sdk::OutboundRequest> ClayProvider::render(const sdk::EventView& event,
                                                       const sdk::IntegrationView& integration) const {
    const Poco::JSON::Object::Ptr data = parseData(event.dataJson);
    std::vector<Poco::JSON::Object::Ptr> rows;
    if (isLeadEvent(event.type)) {
        rows = leadRows(*data, event);
    } else {
        rows.push_back(clayRow(*data));
        addEventColumns(*rows.back(), event);
    }

    std::vector<sdk::Header> headers;
    const std::string token = authToken(integration.settings);
    if (!token.empty()) {
        // validate refuses such tokens; checked again here because a header is where a stray
        // CR or LF would do harm.
        if (!isHeaderSafe(token)) {
            throw std::runtime_error("settings." + kAuthSetting + " cannot be sent as an HTTP header");
        }
        headers.push_back({kAuthHeader, token});
    }
    std::vector<sdk::OutboundRequest> requests;
    for (const auto& row : rows) requests.push_back({jsonText(row), headers});
    return requests;
}

}  // namespace smbhub::providers
