#include "make_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return MakeProvider().validate({url, {}}); }

TEST(MakeProvider, DescribesItself) {
    const sdk::ProviderInfo info = MakeProvider().describe();
    EXPECT_EQ(info.id, "make");
    EXPECT_EQ(info.name, "Make.com");
    EXPECT_EQ(info.description, "Custom webhook trigger with HMAC signature");
}

TEST(MakeProvider, AcceptsCustomWebhookUrlsInEveryZone) {
    for (const auto& url : {httpsUrl("hook.eu1.make.com", "/yq3bfs4k7r2n1a9xj8o6ltgh5dcvemwp"),
                            httpsUrl("hook.eu2.make.com", "/yq3bfs4k7r2n1a9xj8o6ltgh5dcvemwp/"),
                            httpsUrl("hook.us1.make.com", "/abc123def456"),
                            httpsUrl("hook.us2.make.com", "/abc123def456", "source=smb"),
                            httpsUrl("hook.eu12.make.com", "/abc123def456")}) {
        EXPECT_TRUE(check(url).ok) << url.raw;
    }
}

TEST(MakeProvider, RefusesOtherUrls) {
    for (const auto& url : {httpsUrl("hook.eu1.make.com", "/"),
                            httpsUrl("hook.eu1.make.com", "/abc123/def456"),
                            httpsUrl("hook.eu1.make.com", "/abc123//"),
                            httpsUrl("hook.eu1.make.com", "/abc-123"),
                            httpsUrl("hook.make.com", "/abc123def456"),
                            httpsUrl("hook.eu.make.com", "/abc123def456"),
                            httpsUrl("hook.1eu.make.com", "/abc123def456"),
                            httpsUrl("hook.eu1x.make.com", "/abc123def456"),
                            httpsUrl("hooks.eu1.make.com", "/abc123def456"),
                            httpsUrl("hook.eu1.make.com.example.com", "/abc123def456"),
                            httpsUrl("hook.eu1.make.celonis.com", "/abc123def456"),
                            httpsUrl("hook.integromat.com", "/abc123def456"),
                            httpsUrl("eu1.make.com", "/scenarios/42/edit"),
                            httpsUrl("hook.eu1.make.com", "/abc123def456", "", 8443)}) {
        const sdk::Validation verdict = check(url);
        EXPECT_FALSE(verdict.ok) << url.raw;
        EXPECT_EQ(verdict.field, "targetUrl") << url.raw;
    }
}

TEST(MakeProvider, RefusalShowsWhatACustomWebhookUrlLooksLike) {
    EXPECT_EQ(check(httpsUrl("make.com", "/")).message,
              "targetUrl must be a Make custom webhook URL, like "
              "https://hook.eu1.make.com/abc123def456");
}

}  // namespace
}  // namespace smbhub::providers
