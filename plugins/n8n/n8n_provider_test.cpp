#include "n8n_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return N8nProvider().validate({url, {}}); }

TEST(N8nProvider, DescribesItself) {
    const sdk::ProviderInfo info = N8nProvider().describe();
    EXPECT_EQ(info.id, "n8n");
    EXPECT_EQ(info.name, "n8n");
    EXPECT_EQ(info.description, "Webhook node with HMAC signature");
}

TEST(N8nProvider, AcceptsWebhookNodeUrlsInTheCloudAndSelfHosted) {
    for (const auto& url :
         {httpsUrl("acme.app.n8n.cloud", "/webhook/3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c"),
          httpsUrl("acme.app.n8n.cloud", "/webhook-test/3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c"),
          httpsUrl("n8n.example.com", "/webhook-test/leads"),
          httpsUrl("n8n.example.com", "/webhook/leads/"),
          httpsUrl("n8n.example.com", "/webhook/3f2a9c1e/leads/new"),
          httpsUrl("example.com", "/n8n/webhook/abc"),
          httpsUrl("automation.example.org", "/webhook/leads", "", 5678),
          httpsUrl("n8n.example.com", "/webhook/leads", "source=smb")}) {
        EXPECT_TRUE(check(url).ok) << url.raw;
    }
}

TEST(N8nProvider, RefusesUrlsWithoutAWebhookPath) {
    for (const auto& url : {httpsUrl("acme.app.n8n.cloud", "/"),
                            httpsUrl("acme.app.n8n.cloud", "/webhook"),
                            httpsUrl("acme.app.n8n.cloud", "/webhook/"),
                            httpsUrl("acme.app.n8n.cloud", "/webhook//"),
                            httpsUrl("acme.app.n8n.cloud", "/webhooks/leads"),
                            httpsUrl("acme.app.n8n.cloud", "/webhook-waiting/123"),
                            httpsUrl("acme.app.n8n.cloud", "/workflow/42"),
                            httpsUrl("acme.app.n8n.cloud", "/form/leads"),
                            httpsUrl("n8n.example.com", "/api/v1/webhook"),
                            httpsUrl("n8n.example.com", "/mywebhook/leads"),
                            httpsUrl("n8n.example.com", "/leads", "path=/webhook/leads")}) {
        const sdk::Validation verdict = check(url);
        EXPECT_FALSE(verdict.ok) << url.raw;
        EXPECT_EQ(verdict.field, "targetUrl") << url.raw;
    }
}

TEST(N8nProvider, RefusalShowsWhatAWebhookNodeUrlLooksLike) {
    EXPECT_EQ(check(httpsUrl("n8n.example.com", "/")).message,
              "targetUrl must be an n8n Webhook node URL, with /webhook/ or /webhook-test/ "
              "followed by the node's path, like https://acme.app.n8n.cloud/webhook/leads");
}

}  // namespace
}  // namespace smbhub::providers
