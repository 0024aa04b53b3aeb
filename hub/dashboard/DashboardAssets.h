// The dashboard's files (hub/dashboard/web/), embedded in the binary at build time by
// EmbedAssets.cmake: the hub serves its page with nothing installed beside it, no CDN and no
// build step at run time. Immutable data; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace smbhub::dashboard {

struct DashboardAsset {
    std::string_view name;         // "index.html", "app.js", …
    std::string_view contentType;  // "text/javascript; charset=utf-8"
    std::string_view body;
    std::string_view etag;         // quoted, from the content's SHA-256
};

// The file with this name (no folders), or nullptr.
const DashboardAsset* findDashboardAsset(std::string_view name);
std::vector<std::string_view> dashboardAssetNames();

}  // namespace smbhub::dashboard
