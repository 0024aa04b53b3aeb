#include "plugins/DescriptorCheck.h"

#include <cstdint>
#include <cstring>

namespace smbhub::plugins {
namespace {

// What every major's descriptor starts with: struct_size, abi_major, abi_minor.
constexpr std::size_t kFrozenHeader = SMBHUB_SIZE_THROUGH(smbhub_plugin_descriptor, abi_minor);
// The least an ABI 2.0 plugin supplies. Fields and functions a later minor appends are read
// only where the struct_size reaches them (SMBHUB_HAS_FIELD).
constexpr std::size_t kDescriptor2_0 = SMBHUB_SIZE_THROUGH(smbhub_plugin_descriptor, functions);
constexpr std::size_t kFunctions2_0 = SMBHUB_SIZE_THROUGH(smbhub_provider_functions, oauth_start);

std::string version(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

const std::string& hubVersion() {
    static const std::string text = version(SMBHUB_SDK_ABI_MAJOR, SMBHUB_SDK_ABI_MINOR);
    return text;
}

bool sameMajor(const smbhub_plugin_descriptor& d) {
    return d.struct_size >= kFrozenHeader && d.abi_major == SMBHUB_SDK_ABI_MAJOR;
}

// The ABI 1 descriptor as SDK 0.1 laid it out, read only for its id and version, so that an
// operator sees which plugin needs rebuilding. Nothing of it is ever called.
struct Abi1Descriptor {
    std::uint32_t struct_size;
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* build_signature;
    const char* plugin_id;
    const char* plugin_version;
    void* (*create)(void);
    void (*destroy)(void*);
};

DescriptorIdentity abi1Identity(const smbhub_plugin_descriptor& d) {
    DescriptorIdentity out;
    if (d.struct_size < sizeof(Abi1Descriptor)) return out;
    Abi1Descriptor old;
    std::memcpy(&old, &d, sizeof old);  // its bytes, as the plugin laid them out
    if (old.plugin_id) out.id = old.plugin_id;
    if (old.plugin_version) out.version = old.plugin_version;
    return out;
}

}  // namespace

std::string incompatibility(const smbhub_plugin_descriptor& d) {
    if (d.struct_size < kFrozenHeader) {
        return "its descriptor is truncated (" + std::to_string(d.struct_size) + " bytes)";
    }
    const std::string built = version(d.abi_major, d.abi_minor);
    if (d.abi_major == 1) {
        return "built against plugin ABI " + built +
               " (C++ at the boundary, tied to one compiler); the hub speaks " + hubVersion() +
               " (C only): rebuild the plugin against this hub's SDK";
    }
    if (d.abi_major != SMBHUB_SDK_ABI_MAJOR || d.abi_minor > SMBHUB_SDK_ABI_MINOR) {
        return "built against plugin ABI " + built + ", the hub speaks " + hubVersion();
    }
    if (d.struct_size < kDescriptor2_0) {
        return "its descriptor is truncated (" + std::to_string(d.struct_size) + " bytes, ABI 2.0 has " +
               std::to_string(kDescriptor2_0) + ")";
    }
    if (!d.plugin_id || !*d.plugin_id) return "its descriptor has no id";
    const smbhub_provider_functions* f = d.functions;
    if (!f) return "its descriptor has no function table";
    if (f->struct_size < kFunctions2_0) {
        return "its function table is truncated (" + std::to_string(f->struct_size) +
               " bytes, ABI 2.0 has " + std::to_string(kFunctions2_0) + ")";
    }
    if (!f->create || !f->destroy || !f->describe || !f->validate || !f->render) {
        return "its function table lacks create, destroy, describe, validate or render";
    }
    return "";
}

DescriptorIdentity identity(const smbhub_plugin_descriptor& d) {
    DescriptorIdentity out;
    if (d.struct_size >= kFrozenHeader && d.abi_major == 1) return abi1Identity(d);
    if (!sameMajor(d)) return out;
    if (SMBHUB_HAS_FIELD(smbhub_plugin_descriptor, &d, plugin_id) && d.plugin_id) out.id = d.plugin_id;
    if (SMBHUB_HAS_FIELD(smbhub_plugin_descriptor, &d, plugin_version) && d.plugin_version) {
        out.version = d.plugin_version;
    }
    return out;
}

}  // namespace smbhub::plugins
