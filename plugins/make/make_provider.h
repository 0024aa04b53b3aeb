// Make (SPEC §9): a scenario's "Custom webhook" trigger URL, https://hook.<zone>.make.com/<token>,
// receives the signed envelope unchanged. The zone is the Make region the organization lives in
// (eu1, eu2, us1, us2, …).
//
// Thread-safety: stateless after construction, safe from any thread.
#pragma once

#include "common/envelope_webhook_provider.h"

namespace smbhub::providers {

class MakeProvider final : public EnvelopeWebhookProvider {
public:
    MakeProvider();

private:
    bool accepts(const sdk::TargetUrl& url) const override;
};

}  // namespace smbhub::providers
