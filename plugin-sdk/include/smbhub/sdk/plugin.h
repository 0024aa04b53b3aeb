// What a plugin author includes: the provider interface plus SMBHUB_PLUGIN, which writes the
// library's one exported C function, `smbhub_plugin_entry`, returning the ABI 2 descriptor and
// function table of abi.h for the class (provider_adapter.h does the translation).
//
//   class ChatProvider : public smbhub::sdk::Provider { … };
//   SMBHUB_PLUGIN(ChatProvider, "chat", "1.0.0")
//
// Use it once, at namespace scope, in one source file of the library. The id must equal what
// `describe()` returns; the version is the plugin's own.
//
// Thread-safety: the entry function only returns a constant descriptor; safe from any thread.
#ifndef SMBHUB_SDK_PLUGIN_H
#define SMBHUB_SDK_PLUGIN_H

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>
#include <smbhub/sdk/provider_adapter.h>

#define SMBHUB_PLUGIN(ProviderClass, pluginId, pluginVersion)                                    \
    extern "C" SMBHUB_PLUGIN_EXPORT const smbhub_plugin_descriptor* smbhub_plugin_entry(void) { \
        static constexpr smbhub_plugin_descriptor descriptor =                                 \
            ::smbhub::sdk::adapter::descriptor<ProviderClass>(pluginId, pluginVersion);        \
        return &descriptor;                                                                    \
    }

#endif  // SMBHUB_SDK_PLUGIN_H
