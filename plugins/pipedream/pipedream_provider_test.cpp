#include "pipedream_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return PipedreamProvider().validate({url, {}}); }

TEST(PipedreamProvider, DescribesItself) {
    const sdk::ProviderInfo info = PipedreamProvider().describe();
    EXPECT_EQ(info.id, "pipedream");
    EXPECT_EQ(info.name, "Pipedream");
    EXPECT_EQ(info.description, "HTTP source workflow with HMAC signature");
}

TEST(PipedreamProvider, AcceptsHttpSourceUrlsWithAnyPath) {
    for (const auto& url : {httpsUrl("eo1a2b3c4d5e6f7.m.pipedream.net", "/"),
                            httpsUrl("eo1a2b3c4d5e6f7.m.pipedream.net", "/leads"),
                            httpsUrl("enqzx8rk3l2m1.m.pipedream.net", "/smb/leads/new"),
                            httpsUrl("eo1a2b3c4d5e6f7.m.pipedream.net", "/", "source=smb")}) {
        EXPECT_TRUE(check(url).ok) << url.raw;
    }
}

TEST(PipedreamProvider, RefusesOtherHosts) {
    for (const auto& url : {httpsUrl("pipedream.net", "/"),
                            httpsUrl("m.pipedream.net", "/"),
                            httpsUrl("eo1a2b3c.pipedream.net", "/"),
                            httpsUrl("eo1-a2b3c.m.pipedream.net", "/"),
                            httpsUrl("a.eo1a2b3c.m.pipedream.net", "/"),
                            httpsUrl("eo1a2b3c.m.pipedream.net.example.com", "/"),
                            httpsUrl("eo1a2b3c.m.pipedream.com", "/"),
                            httpsUrl("pipedream.com", "/@acme/p_abc123/edit"),
                            httpsUrl("eo1a2b3c4d5e6f7.m.pipedream.net", "/", "", 8443)}) {
        const sdk::Validation verdict = check(url);
        EXPECT_FALSE(verdict.ok) << url.raw;
        EXPECT_EQ(verdict.field, "targetUrl") << url.raw;
    }
}

TEST(PipedreamProvider, RefusalShowsWhatAnHttpSourceUrlLooksLike) {
    EXPECT_EQ(check(httpsUrl("pipedream.com", "/")).message,
              "targetUrl must be a Pipedream HTTP source URL, like "
              "https://eo1a2b3c4d5e6f7.m.pipedream.net");
}

}  // namespace
}  // namespace smbhub::providers
