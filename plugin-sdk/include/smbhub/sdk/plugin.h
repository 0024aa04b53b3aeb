// What a plugin author includes: the provider interface plus SMBHUB_PLUGIN, which writes the
// exported C entry point and its descriptor (see abi.h).
//
//   class ChatProvider : public smbhub::sdk::Provider { … };
//   SMBHUB_PLUGIN(ChatProvider, "chat", "1.0.0")
#ifndef SMBHUB_SDK_PLUGIN_H
#define SMBHUB_SDK_PLUGIN_H

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

#define SMBHUB_PLUGIN_EXPORT __attribute__((visibility("default")))

#define SMBHUB_PLUGIN(ProviderClass, pluginId, pluginVersion)                                    \
    extern "C" SMBHUB_PLUGIN_EXPORT const smbhub_plugin_descriptor* smbhub_plugin_entry(void) { \
        static const smbhub_plugin_descriptor descriptor = {                                   \
            sizeof(smbhub_plugin_descriptor),                                                  \
            SMBHUB_SDK_ABI_MAJOR,                                                              \
            SMBHUB_SDK_ABI_MINOR,                                                              \
            SMBHUB_SDK_BUILD_SIGNATURE,                                                        \
            pluginId,                                                                          \
            pluginVersion,                                                                     \
            []() -> void* {                                                                    \
                try {                                                                          \
                    return static_cast<::smbhub::sdk::Provider*>(new ProviderClass());         \
                } catch (...) {                                                                \
                    return nullptr;                                                            \
                }                                                                              \
            },                                                                                 \
            [](void* provider) { delete static_cast<::smbhub::sdk::Provider*>(provider); }};   \
        return &descriptor;                                                                    \
    }

#endif  // SMBHUB_SDK_PLUGIN_H
