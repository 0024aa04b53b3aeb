#include "make_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return MakeProvider().validate({url, {}}); }

TEST(MakeProvider, DescribesItselfAsALiveWebhookForAllEvents) {
    const sdk::ProviderInfo info = MakeProvider().describe();
    EXPECT_EQ(info.id, "make");
    EXPECT_EQ(info.name, "Make.com");
    EXPECT_EQ(info.kind, sdk::ProviderKind::Webhook);
    EXPECT_EQ(info.status, sdk::ProviderStatus::Live);
    EXPECT_EQ(info.description, "Custom webhook trigger with HMAC signature");
    EXPECT_EQ(info.events.size(), 5u);
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

TEST(MakeProvider, RendersTheEnvelopeUnchanged) {
    sdk::EventView event;
    event.type = "export.completed";
    event.envelopeJson = R"({"id":"evt_3","type":"export.completed","createdAt":)"
                         R"("2024-05-01T12:00:00Z","accountId":"acc_1","data":{"exportId":"exp_1",)"
                         R"("rowCount":120,"format":"csv"}})";
    const auto requests = MakeProvider().render(event, {});
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body, event.envelopeJson);
    EXPECT_TRUE(requests[0].headers.empty());
}

}  // namespace
}  // namespace smbhub::providers
