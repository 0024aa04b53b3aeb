// C views (abi.h) of the hub's values, to pass to a plugin function.
//
// A view points into the value it was made from and copies nothing: the value must outlive the
// plugin call, which is all abi.h promises the plugin (HOST-OWNED, valid until it returns).
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

namespace smbhub::plugins {

inline smbhub_str view(const std::string& text) { return smbhub_str{text.data(), text.size()}; }

smbhub_target_url view(const sdk::TargetUrl& url);
smbhub_event view(const sdk::EventView& event);
std::vector<smbhub_pair> view(const std::map<std::string, std::string>& pairs);
std::vector<smbhub_pair> view(const std::vector<sdk::Header>& headers);

// The plugin's bytes as a string; throws std::invalid_argument for a null pointer with a size
// (a plugin bug that must not crash the hub).
std::string copy(smbhub_str text);

}  // namespace smbhub::plugins
