// The n8n plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "n8n_provider.h"

SMBHUB_PLUGIN(smbhub::providers::N8nProvider, "n8n", "1.0.0")
