#include "zapier_provider.h"

#include "common/url_match.h"

namespace smbhub::providers {
namespace {

constexpr int kGone = 410;

// What may follow /hooks/catch/<id>/<key>: nothing, "/", "/silent" or "/silent/".
bool isCatchHookTail(const std::vector<std::string_view>& segments, std::size_t from) {
    const std::size_t rest = segments.size() - from;
    if (rest == 0) return true;
    if (rest == 1) return segments[from].empty() || segments[from] == "silent";
    return rest == 2 && segments[from] == "silent" && segments[from + 1].empty();
}

}  // namespace

ZapierProvider::ZapierProvider()
    : EnvelopeWebhookProvider(
          "zapier", "Zapier", "Webhook trigger URL with HMAC signature",
          "targetUrl must be a Zapier Catch Hook URL, like "
          "https://hooks.zapier.com/hooks/catch/123456/abcdef/") {}

bool ZapierProvider::accepts(const sdk::TargetUrl& url) const {
    if (url.host != "hooks.zapier.com" || !usesStandardPort(url)) return false;
    const auto segments = pathSegments(url.path);
    return segments.size() >= 4 && segments[0] == "hooks" && segments[1] == "catch" &&
           isDigits(segments[2]) && isAlphanumeric(segments[3]) && isCatchHookTail(segments, 4);
}

sdk::ResponseDecision ZapierProvider::interpret(const sdk::ResponseView& response) const {
    sdk::ResponseDecision decision;
    if (response.status == kGone) {
        decision.verdict = sdk::Verdict::DisableIntegration;
        decision.reason = "Zapier answered 410 Gone: the Zap was turned off or deleted";
    }
    return decision;
}

}  // namespace smbhub::providers
