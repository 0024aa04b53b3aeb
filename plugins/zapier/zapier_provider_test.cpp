#include "zapier_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return ZapierProvider().validate({url, {}}); }

sdk::ResponseDecision answer(int status) {
    sdk::ResponseView response;
    response.status = status;
    return ZapierProvider().interpret(response);
}

TEST(ZapierProvider, DescribesItself) {
    const sdk::ProviderInfo info = ZapierProvider().describe();
    EXPECT_EQ(info.id, "zapier");
    EXPECT_EQ(info.name, "Zapier");
    EXPECT_EQ(info.description, "Webhook trigger URL with HMAC signature");
}

TEST(ZapierProvider, AcceptsCatchHookUrls) {
    for (const auto& url : {httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/4821937/3kx9q2p/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/4821937/3KX9q2P/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/4821937/3kx9q2p/silent/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/4821937/3kx9q2p/silent"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/4821937/3kx9q2p/",
                                     "source=smb")}) {
        EXPECT_TRUE(check(url).ok) << url.raw;
    }
}

TEST(ZapierProvider, RefusesOtherUrls) {
    for (const auto& url : {httpsUrl("zapier.com", "/hooks/catch/123456/abcdef/"),
                            httpsUrl("zapier.com", "/editor/123456789/published"),
                            httpsUrl("hooks.zapier.com.example.com", "/hooks/catch/123456/abcdef/"),
                            httpsUrl("myhooks.zapier.com", "/hooks/catch/123456/abcdef/"),
                            httpsUrl("hooks.zapier.com", "/"),
                            httpsUrl("hooks.zapier.com", "/hooks/standard/123456/abcdef/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456//"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/XXX/YYY"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abc-def/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abc%2Fdef/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef/extra/"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef/silent/x"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef//"),
                            httpsUrl("hooks.zapier.com", "/hooks/catch/123456/abcdef/", "",
                                     8443)}) {
        const sdk::Validation verdict = check(url);
        EXPECT_FALSE(verdict.ok) << url.raw;
        EXPECT_EQ(verdict.field, "targetUrl") << url.raw;
    }
}

TEST(ZapierProvider, RefusalShowsWhatACatchHookUrlLooksLike) {
    const sdk::Validation verdict = check(httpsUrl("example.com", "/hook"));
    EXPECT_EQ(verdict.message,
              "targetUrl must be a Zapier Catch Hook URL, like "
              "https://hooks.zapier.com/hooks/catch/123456/abcdef/");
}

TEST(ZapierProvider, GoneDisablesTheIntegration) {
    const sdk::ResponseDecision decision = answer(410);
    EXPECT_EQ(decision.verdict, sdk::Verdict::DisableIntegration);
    EXPECT_EQ(decision.reason, "Zapier answered 410 Gone: the Zap was turned off or deleted");
}

}  // namespace
}  // namespace smbhub::providers
