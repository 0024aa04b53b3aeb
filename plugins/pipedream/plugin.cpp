// The Pipedream plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "pipedream_provider.h"

SMBHUB_PLUGIN(smbhub::providers::PipedreamProvider, "pipedream", "1.0.0")
