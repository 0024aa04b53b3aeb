#include "zapier_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smbhub::providers {
namespace {

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url) { return ZapierProvider().validate({url, {}}); }

sdk::ResponseDecision answer(int status) {
    sdk::ResponseView response;
    response.status = status;
    return ZapierProvider().interpret(response);
}

TEST(ZapierProvider, DescribesItselfAsALiveWebhookForAllEvents) {
    const sdk::ProviderInfo info = ZapierProvider().describe();
    EXPECT_EQ(info.id, "zapier");
    EXPECT_EQ(info.name, "Zapier");
    EXPECT_EQ(info.kind, sdk::ProviderKind::Webhook);
    EXPECT_EQ(info.status, sdk::ProviderStatus::Live);
    EXPECT_EQ(info.description, "Webhook trigger URL with HMAC signature");
    EXPECT_EQ(info.events, (std::vector<std::string>{"lead.created", "lead.updated",
                                                     "export.completed", "email_schedule.sent",
                                                     "credit.low_balance"}));
    EXPECT_TRUE(info.settingFields.empty());
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

TEST(ZapierProvider, RendersTheEnvelopeUnchanged) {
    sdk::EventView event;
    event.id = "evt_1";
    event.type = "lead.created";
    event.dataJson = R"({"count":1,"leads":[{"name":"Acme"}]})";
    event.envelopeJson = R"({"id":"evt_1","type":"lead.created","createdAt":"2024-05-01T12:00:00Z",)"
                         R"("accountId":"acc_1","data":{"count":1,"leads":[{"name":"Acme"}]}})";
    const auto requests = ZapierProvider().render(event, {});
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body, event.envelopeJson);
    EXPECT_TRUE(requests[0].headers.empty());
}

TEST(ZapierProvider, GoneDisablesTheIntegration) {
    const sdk::ResponseDecision decision = answer(410);
    EXPECT_EQ(decision.verdict, sdk::Verdict::DisableIntegration);
    EXPECT_EQ(decision.reason, "Zapier answered 410 Gone: the Zap was turned off or deleted");
}

TEST(ZapierProvider, OtherAnswersAreLeftToTheHub) {
    for (const int status : {200, 201, 404, 429, 500, 503}) {
        const sdk::ResponseDecision decision = answer(status);
        EXPECT_EQ(decision.verdict, sdk::Verdict::Default) << status;
        EXPECT_TRUE(decision.reason.empty()) << status;
    }
}

}  // namespace
}  // namespace smbhub::providers
