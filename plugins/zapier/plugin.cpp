// The Zapier plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "zapier_provider.h"

SMBHUB_PLUGIN(smbhub::providers::ZapierProvider, "zapier", "1.0.0")
