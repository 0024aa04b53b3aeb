// The event types every in-tree provider receives: all five of SPEC §8. One list, so a sixth
// event type is added in one place.
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace smbhub::providers {

std::vector<std::string> allEventTypes();

}  // namespace smbhub::providers
