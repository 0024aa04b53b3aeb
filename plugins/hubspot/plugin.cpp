// The HubSpot plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "hubspot_provider.h"

SMBHUB_PLUGIN(smbhub::providers::HubSpotProvider, "hubspot", "1.0.0")
