#include "plugins/AbiViews.h"

#include <stdexcept>

namespace smbhub::plugins {

smbhub_target_url view(const sdk::TargetUrl& url) {
    smbhub_target_url out{};
    out.struct_size = sizeof out;
    out.port = url.port;
    out.raw = view(url.raw);
    out.scheme = view(url.scheme);
    out.host = view(url.host);
    out.path = view(url.path);
    out.query = view(url.query);
    return out;
}

smbhub_event view(const sdk::EventView& event) {
    smbhub_event out{};
    out.struct_size = sizeof out;
    out.test = event.test ? 1 : 0;
    out.id = view(event.id);
    out.type = view(event.type);
    out.account_id = view(event.accountId);
    out.created_at = view(event.createdAt);
    out.data_json = view(event.dataJson);
    out.envelope_json = view(event.envelopeJson);
    return out;
}

std::vector<smbhub_pair> view(const std::map<std::string, std::string>& pairs) {
    std::vector<smbhub_pair> out;
    out.reserve(pairs.size());
    for (const auto& [name, value] : pairs) out.push_back({view(name), view(value)});
    return out;
}

std::vector<smbhub_pair> view(const std::vector<sdk::Header>& headers) {
    std::vector<smbhub_pair> out;
    out.reserve(headers.size());
    for (const auto& header : headers) out.push_back({view(header.name), view(header.value)});
    return out;
}

std::string copy(smbhub_str text) {
    if (text.size == 0) return std::string();
    if (!text.data) {
        throw std::invalid_argument("the plugin passed a null buffer of " + std::to_string(text.size) +
                                    " bytes");
    }
    return std::string(text.data, text.size);
}

}  // namespace smbhub::plugins
