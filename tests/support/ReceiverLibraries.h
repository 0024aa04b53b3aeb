// Verifies deliveries the hub really sent with the npm libraries receivers use, pinned in
// tests/receivers/package-lock.json (installed by scripts/install-deps.sh): `standardwebhooks`
// and `svix` 1.x (their Webhook.verify, over webhook-id / webhook-timestamp / webhook-signature)
// and `stripe` (stripe-node's webhooks.constructEvent, over X-SMB-Signature as it is). One node
// process runs tests/receivers/verify-deliveries.mjs over a batch of requests; for each library
// it also tries the request with one body byte changed and with another secret, which must fail.
// Stateless, thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/ReceivedRequest.h"

namespace smbhub::test {

struct DeliveryToVerify {
    std::string label;   // names the request in messages
    std::string secret;  // the integration's signingSecret
    ReceivedRequest request;
    // What the standardwebhooks and svix libraries are given instead of `secret`, when not empty
    // (an older secret converted as docs/signatures.md says).
    std::string webhookSecret;
};

struct LibraryVerdicts {
    std::string label;
    // "<library>" -> "ok" or the library's error; "<library>:tamperedBody" and
    // "<library>:otherSecret" -> the same for the two controls.
    std::map<std::string, std::string> outcomes;

    std::string outcome(const std::string& key) const;
    // "" when every library verified the request and refused both controls; else what went wrong.
    std::string problems() const;
};

class ReceiverLibraries {
public:
    // "standardwebhooks", "svix", "stripe".
    static const std::vector<std::string>& names();
    // Throws std::runtime_error when node or the npm packages are missing, or node fails.
    static std::vector<LibraryVerdicts> verify(const std::vector<DeliveryToVerify>& deliveries);
};

}  // namespace smbhub::test
