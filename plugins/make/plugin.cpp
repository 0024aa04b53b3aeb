// The Make plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "make_provider.h"

SMBHUB_PLUGIN(smbhub::providers::MakeProvider, "make", "1.0.0")
