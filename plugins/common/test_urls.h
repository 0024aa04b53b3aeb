// URLs in the providers' unit tests (plugins/<id>/<id>_provider_test.cpp): a target URL as the
// hub hands it to a provider's validate() (parsed, host lower case), and the query parameters of
// an authorization URL a provider builds. Not part of any plugin.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <Poco/URI.h>
#include <smbhub/sdk/provider.h>

#include <map>
#include <string>

namespace smbhub::providers::test_urls {

inline sdk::TargetUrl httpsUrl(const std::string& host, const std::string& path, const std::string& query = "",
                               int port = 443) {
    sdk::TargetUrl url;
    url.scheme = "https";
    url.host = host;
    url.port = port;
    url.path = path;
    url.query = query;
    url.raw = "https://" + host + (port == 443 ? "" : ":" + std::to_string(port)) + path +
              (query.empty() ? "" : "?" + query);
    return url;
}

// The query parameters of `uri` by name (each given once in the URLs tested).
inline std::map<std::string, std::string> queryOf(const Poco::URI& uri) {
    std::map<std::string, std::string> query;
    for (const auto& [name, value] : uri.getQueryParameters()) query[name] = value;
    return query;
}

}  // namespace smbhub::providers::test_urls
