// The nine providers of the seed (SPEC §9), as the hub lists them when their plugin is not
// loaded (disabled in YAML, refused, or missing). A loaded plugin's own description wins.
//
// Thread-safety: constant tables, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include <smbhub/sdk/provider.h>

namespace smbhub::plugins {

const std::vector<sdk::ProviderInfo>& seedProviders();

// The seed provider with this id, or nullptr.
const sdk::ProviderInfo* findSeedProvider(const std::string& id);

// The shape of URL a seed webhook provider accepts, as a hint for people ("" for other ids):
// the dashboard shows it under the URL field. The plugin's own check stays the rule.
std::string seedUrlHint(const std::string& id);

}  // namespace smbhub::plugins
