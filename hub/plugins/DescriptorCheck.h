// The hub's reading of a plugin library's descriptor (abi.h), before any other plugin code runs.
//
// Only the frozen header (struct_size, abi_major, abi_minor) is read until the major is known to
// be the hub's; after that nothing beyond the descriptor's or its function table's struct_size.
// Thread-safety: pure functions of the descriptor, no state; safe from any thread.
#pragma once

#include <string>

#include <smbhub/sdk/abi.h>

namespace smbhub::plugins {

// Why the hub cannot use a library with this descriptor, in one sentence, or "" when it can:
// another major (ABI 1 named as such: its boundary was C++), a newer minor, a descriptor or
// function table smaller than ABI 2.0's, no id, or a required function missing.
std::string incompatibility(const smbhub_plugin_descriptor& descriptor);

// The id and version the descriptor states: read where the hub's major, or ABI 1 (whose layout
// is known), puts them; empty for any other major, whose layout is unknown.
struct DescriptorIdentity {
    std::string id;
    std::string version;
};
DescriptorIdentity identity(const smbhub_plugin_descriptor& descriptor);

}  // namespace smbhub::plugins
