// The Salesforce plugin library's entry point (abi.h).
#include <smbhub/sdk/plugin.h>

#include "salesforce_provider.h"

SMBHUB_PLUGIN(smbhub::providers::SalesforceProvider, "salesforce", "1.0.0")
