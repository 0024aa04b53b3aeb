// For the providers' unit tests (plugins/<id>/<id>_provider_test.cpp): target URLs as the hub
// hands them to a provider's validate(), parsed, host lower case. Not part of any plugin.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <smbhub/sdk/provider.h>

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

}  // namespace smbhub::providers::test_urls
