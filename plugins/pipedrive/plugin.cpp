// The Pipedrive plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "pipedrive_provider.h"

SMBHUB_PLUGIN(smbhub::providers::PipedriveProvider, "pipedrive", "1.0.0")
