// The binary boundary between the hub and a provider plugin.
//
// A plugin library exports exactly one C function, `smbhub_plugin_entry`, that returns a static
// descriptor. The hub reads the descriptor *before* running any other plugin code and refuses the
// library when the ABI major differs, when the plugin's ABI minor is newer than the hub's, or when
// the build signature (compiler family, major version, C++ library ABI) differs. Only then does it
// call `create` to obtain a `smbhub::sdk::Provider`. The object is destroyed with the same
// library's `destroy`, and libraries stay loaded for the life of the process, so nothing the
// plugin allocates ever outlives its code.
//
// Plugin authors never write this by hand: `SMBHUB_PLUGIN(...)` in plugin.h does.
#ifndef SMBHUB_SDK_ABI_H
#define SMBHUB_SDK_ABI_H

#ifdef __cplusplus
#include <cstdint>  // also brings in the C++ library's configuration macros used below
#else
#include <stdint.h>
#endif

// Same major = compatible; a plugin's minor may not be newer than the hub's.
#ifndef SMBHUB_SDK_ABI_MAJOR
#define SMBHUB_SDK_ABI_MAJOR 1
#endif
#ifndef SMBHUB_SDK_ABI_MINOR
#define SMBHUB_SDK_ABI_MINOR 0
#endif

#define SMBHUB_SDK_STRINGIFY_(x) #x
#define SMBHUB_SDK_STRINGIFY(x) SMBHUB_SDK_STRINGIFY_(x)

// The facts that must match for C++ objects (std::string, std::vector, vtables) to cross the
// boundary safely. The C++ standard level is deliberately absent: libstdc++ keeps one layout for
// C++17 and C++20, so a plugin may be built with either.
#if defined(__clang__)
#define SMBHUB_SDK_COMPILER "clang"
#elif defined(__GNUC__)
#define SMBHUB_SDK_COMPILER "gcc-" SMBHUB_SDK_STRINGIFY(__GNUC__)
#else
#define SMBHUB_SDK_COMPILER "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define SMBHUB_SDK_STDLIB "libstdc++-cxx11abi" SMBHUB_SDK_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define SMBHUB_SDK_STDLIB "libc++"
#else
#define SMBHUB_SDK_STDLIB "unknown"
#endif
#define SMBHUB_SDK_BUILD_SIGNATURE SMBHUB_SDK_COMPILER ";" SMBHUB_SDK_STDLIB

#define SMBHUB_PLUGIN_ENTRY_SYMBOL "smbhub_plugin_entry"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smbhub_plugin_descriptor {
    uint32_t struct_size;          // sizeof as the plugin saw it; lets later minors append fields
    uint32_t abi_major;
    uint32_t abi_minor;
    const char* build_signature;   // SMBHUB_SDK_BUILD_SIGNATURE of the plugin's build
    const char* plugin_id;         // e.g. "webhook"; must equal Provider::describe().id
    const char* plugin_version;    // the plugin's own version, for `smb-hub plugins`
    void* (*create)(void);         // new Provider, or null on failure; never throws
    void (*destroy)(void*);        // deletes what create returned; never throws
} smbhub_plugin_descriptor;

typedef const smbhub_plugin_descriptor* (*smbhub_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif  // SMBHUB_SDK_ABI_H
