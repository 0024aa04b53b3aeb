// The Clay plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "clay_provider.h"

SMBHUB_PLUGIN(smbhub::providers::ClayProvider, "clay", "1.0.0")
