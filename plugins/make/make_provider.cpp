#include "make_provider.h"

#include <algorithm>

#include "common/url_match.h"

namespace smbhub::providers {
namespace {

bool isLowerLetter(char c) { return c >= 'a' && c <= 'z'; }

// Letters then digits, like "eu1" or "us2".
bool isZone(std::string_view label) {
    const auto digits = std::find_if_not(label.begin(), label.end(), isLowerLetter);
    return digits != label.begin() &&
           isDigits(label.substr(static_cast<std::size_t>(digits - label.begin())));
}

}  // namespace

MakeProvider::MakeProvider()
    : EnvelopeWebhookProvider("make", "Make.com", "Custom webhook trigger with HMAC signature",
                              "targetUrl must be a Make custom webhook URL, like "
                              "https://hook.eu1.make.com/abc123def456") {}

bool MakeProvider::accepts(const sdk::TargetUrl& url) const {
    const auto labels = hostLabels(url.host);
    if (labels.size() != 4 || labels[0] != "hook" || !isZone(labels[1]) || labels[2] != "make" ||
        labels[3] != "com" || !usesStandardPort(url)) {
        return false;
    }
    // One token segment, with or without a trailing slash.
    const auto segments = pathSegments(url.path);
    const bool trailingSlash = segments.size() == 2 && segments[1].empty();
    return (segments.size() == 1 || trailingSlash) && isAlphanumeric(segments[0]);
}

}  // namespace smbhub::providers
