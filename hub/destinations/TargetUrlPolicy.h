// The rules an integration's targetUrl must pass when it is created or changed (SPEC §7, §11).
//
// Checked without DNS (there may be none at creation time, and answers change): the URL must be
// absolute, https (http only with allowHttp), have a host, no user-info, no fragment, a valid
// port; and unless allowPrivateNetworks, the host may not be an IP literal in a forbidden range
// (AddressPolicy) nor a name that always means this machine or the local network ("localhost",
// "*.localhost", "*.local", "*.internal", "metadata.google.internal"…). DNS results are checked
// again when a delivery connects (HttpSender).
//
// The accepted TargetUrl keeps `raw` exactly as given; `host` is lower case and an IPv6 literal
// keeps its brackets ("[2001:db8::1]"); `path` and `query` keep their percent-encoding (bytes
// outside ASCII are percent-encoded). Numeric hosts must be dotted quads ("127.1" is refused),
// and without allowPrivateNetworks a single-label name ("intranet") counts as local.
//
// Thread-safety: TargetUrlRules and TargetUrlCheck are values; checkTargetUrl is a pure function,
// safe from any thread.
#pragma once

#include <optional>
#include <string>

#include <smbhub/sdk/provider.h>

namespace smbhub::destinations {

struct TargetUrlRules {
    bool allowHttp = false;
    bool allowPrivateNetworks = false;
};

struct TargetUrlCheck {
    std::optional<sdk::TargetUrl> url;  // set when accepted
    std::string error;                  // a sentence for the client when refused
};

TargetUrlCheck checkTargetUrl(const std::string& raw, const TargetUrlRules& rules);

}  // namespace smbhub::destinations
