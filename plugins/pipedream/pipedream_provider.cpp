#include "pipedream_provider.h"

#include "common/url_match.h"

namespace smbhub::providers {

PipedreamProvider::PipedreamProvider()
    : EnvelopeWebhookProvider("pipedream", "Pipedream", "HTTP source workflow with HMAC signature",
                              "targetUrl must be a Pipedream HTTP source URL, like "
                              "https://eo1a2b3c4d5e6f7.m.pipedream.net") {}

bool PipedreamProvider::accepts(const sdk::TargetUrl& url) const {
    const auto labels = hostLabels(url.host);
    return labels.size() == 4 && isAlphanumeric(labels[0]) && labels[1] == "m" &&
           labels[2] == "pipedream" && labels[3] == "net" && usesStandardPort(url);
}

}  // namespace smbhub::providers
