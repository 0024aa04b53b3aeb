#include "clay_provider.h"
#include "common/test_urls.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace smbhub::providers {
namespace {

const std::string kWebhookPath =
    "/v3/sources/webhook/pull-in-data-from-a-webhook-7f3e2a10-5c4b-4d8e-9a61-0b2c3d4e5f60";

using test_urls::httpsUrl;

sdk::Validation check(const sdk::TargetUrl& url, std::map<std::string, std::string> settings = {}) {
    return ClayProvider().validate({url, std::move(settings)});
}

sdk::EventView event(const std::string& type, const std::string& dataJson, bool test = false) {
    sdk::EventView view;
    view.id = "evt_01HZX";
    view.type = type;
    view.accountId = "acc_1";
    view.createdAt = "2024-05-01T12:00:00Z";
    view.test = test;
    view.dataJson = dataJson;
    view.envelopeJson = R"({"id":"evt_01HZX","type":")" + type + R"(","data":)" + dataJson + "}";
    return view;
}

sdk::IntegrationView integration(std::map<std::string, std::string> settings = {}) {
    sdk::IntegrationView view;
    view.id = "int_1";
    view.accountId = "acc_1";
    view.target = httpsUrl("api.clay.com", kWebhookPath);
    view.settings = std::move(settings);
    return view;
}

const std::string kThreeLeads =
    R"({"count":7,"leads":[)"
    R"({"name":"Acme Plumbing LLC","phone":"+1 555 0100","address":{"street":"1 Main St",)"
    R"("city":"Austin","geo":{"lat":30.27,"lng":-97.74}},"tags":["plumbing","new"],)"
    R"("registeredAt":"2024-04-30","employees":3,"verified":true,"website":null},)"
    R"({"name":"Bright Dental","address":{"city":"Denver"}},)"
    R"({"name":"Cedar Cafe","address":{}}],"exportId":"exp_42"})";

TEST(ClayProvider, DescribesItselfWithAnOptionalSecretAuthToken) {
    const sdk::ProviderInfo info = ClayProvider().describe();
    EXPECT_EQ(info.id, "clay");
    EXPECT_EQ(info.name, "Clay");
    EXPECT_EQ(info.kind, sdk::ProviderKind::Webhook);
    EXPECT_EQ(info.status, sdk::ProviderStatus::Live);
    EXPECT_EQ(info.description, "Clay table \"Import data\" webhook with HMAC-signed JSON rows");
    EXPECT_EQ(info.events.size(), 5u);
    ASSERT_EQ(info.settingFields.size(), 1u);
    EXPECT_EQ(info.settingFields[0].name, "authToken");
    EXPECT_FALSE(info.settingFields[0].required);
    EXPECT_TRUE(info.settingFields[0].secret);
    EXPECT_NE(info.settingFields[0].description.find("x-clay-webhook-auth"), std::string::npos);
    EXPECT_EQ(kClayRowLimit, 50000u);
    EXPECT_EQ(info.requestLimit, kClayRowLimit);
}

TEST(ClayProvider, AcceptsClayWebhookUrls) {
    EXPECT_TRUE(check(httpsUrl("api.clay.com", kWebhookPath)).ok);
    EXPECT_TRUE(check(httpsUrl("api.clay.com", "/v3/sources/webhook/abc")).ok);
    EXPECT_TRUE(check(httpsUrl("api.clay.com", kWebhookPath), {{"authToken", "s3cr3t-T0ken"}}).ok);
    EXPECT_TRUE(check(httpsUrl("api.clay.com", kWebhookPath), {{"authToken", ""}}).ok);
}

TEST(ClayProvider, RefusesOtherUrls) {
    for (const auto& url : {httpsUrl("api.clay.com", "/"),
                            httpsUrl("api.clay.com", "//"),
                            httpsUrl("clay.com", kWebhookPath),
                            httpsUrl("app.clay.com", "/workspaces/1234/tables/t_abc"),
                            httpsUrl("api.clay.com.example.com", kWebhookPath),
                            httpsUrl("api.clay.run", kWebhookPath),
                            httpsUrl("api.clay.com", kWebhookPath, "", 8443)}) {
        const sdk::Validation verdict = check(url);
        EXPECT_FALSE(verdict.ok) << url.raw;
        EXPECT_EQ(verdict.field, "targetUrl") << url.raw;
        EXPECT_EQ(verdict.message,
                  "targetUrl must be a Clay table webhook URL, like "
                  "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-<id>");
    }
}

TEST(ClayProvider, RefusesAnAuthTokenThatIsNotASafeHeaderValue) {
    for (const std::string& token :
         std::vector<std::string>{"abc\r\nX-Injected: 1", "abc\n", " abc", "abc ", "t\xc3\xa9st",
                                  std::string("ab\0c", 4)}) {
        const sdk::Validation verdict = check(httpsUrl("api.clay.com", kWebhookPath),
                                              {{"authToken", token}});
        EXPECT_FALSE(verdict.ok) << token;
        EXPECT_EQ(verdict.field, "settings.authToken");
    }
}

TEST(ClayProvider, SendsOneRowPerSampleLead) {
    const auto requests = ClayProvider().render(event("lead.created", kThreeLeads), integration());
    ASSERT_EQ(requests.size(), 3u);  // the sample, not `count`
    EXPECT_EQ(requests[0].body,
              R"({"name":"Acme Plumbing LLC","phone":"+1 555 0100","address_street":"1 Main St",)"
              R"("address_city":"Austin","address_geo_lat":30.27,"address_geo_lng":-97.74,)"
              R"("tags":"[\"plumbing\",\"new\"]","registeredAt":"2024-04-30","employees":3,)"
              R"("verified":true,"website":null,"event_id":"evt_01HZX",)"
              R"("event_type":"lead.created","export_id":"exp_42"})");
    EXPECT_EQ(requests[1].body,
              R"({"name":"Bright Dental","address_city":"Denver","event_id":"evt_01HZX",)"
              R"("event_type":"lead.created","export_id":"exp_42"})");
    EXPECT_EQ(requests[2].body,
              R"({"name":"Cedar Cafe","event_id":"evt_01HZX","event_type":"lead.created",)"
              R"("export_id":"exp_42"})");
}

TEST(ClayProvider, LeavesOutExportIdWhenTheEventHasNone) {
    const auto requests = ClayProvider().render(
        event("lead.updated", R"({"count":1,"leads":[{"name":"Acme","city":"Austin"}]})"),
        integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"name":"Acme","city":"Austin","event_id":"evt_01HZX","event_type":"lead.updated"})");
}

TEST(ClayProvider, EventColumnsReplaceSameNamedLeadFields) {
    const auto requests = ClayProvider().render(
        event("lead.created", R"({"count":1,"leads":[{"event_id":"mine","name":"Acme"}]})"),
        integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"event_id":"evt_01HZX","name":"Acme","event_type":"lead.created"})");
}

TEST(ClayProvider, MarksRowsOfTestEvents) {
    const auto requests = ClayProvider().render(
        event("lead.created", R"({"count":1,"leads":[{"name":"Test Lead"}]})", true),
        integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"name":"Test Lead","event_id":"evt_01HZX","event_type":"lead.created",)"
              R"("event_test":true})");
}

TEST(ClayProvider, SendsOneRowForEventsWithoutLeads) {
    auto requests = ClayProvider().render(
        event("export.completed", R"({"exportId":"exp_42","rowCount":120,"format":"csv",)"
                                  R"("filters":{"state":"TX","industries":["food","retail"]}})"),
        integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"exportId":"exp_42","rowCount":120,"format":"csv","filters_state":"TX",)"
              R"("filters_industries":"[\"food\",\"retail\"]","event_id":"evt_01HZX",)"
              R"("event_type":"export.completed"})");

    requests = ClayProvider().render(
        event("email_schedule.sent",
              R"({"scheduleId":"sch_1","recipients":["a@example.com"],"sentAt":"2024-05-01T11:59:00Z"})"),
        integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"scheduleId":"sch_1","recipients":"[\"a@example.com\"]",)"
              R"("sentAt":"2024-05-01T11:59:00Z","event_id":"evt_01HZX",)"
              R"("event_type":"email_schedule.sent"})");

    requests = ClayProvider().render(event("credit.low_balance", R"({"remaining":12,"threshold":50})"),
                                     integration());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body,
              R"({"remaining":12,"threshold":50,"event_id":"evt_01HZX",)"
              R"("event_type":"credit.low_balance"})");
}

TEST(ClayProvider, SendsTheAuthTokenHeaderOnEveryRowWhenSet) {
    const auto requests = ClayProvider().render(event("lead.created", kThreeLeads),
                                                integration({{"authToken", "s3cr3t-T0ken"}}));
    ASSERT_EQ(requests.size(), 3u);
    for (const auto& request : requests) {
        ASSERT_EQ(request.headers.size(), 1u);
        EXPECT_EQ(request.headers[0].name, "x-clay-webhook-auth");
        EXPECT_EQ(request.headers[0].value, "s3cr3t-T0ken");
    }
}

TEST(ClayProvider, SendsNoAuthHeaderWithoutAToken) {
    for (const auto& settings : std::vector<std::map<std::string, std::string>>{
             {}, {{"authToken", ""}}}) {
        const auto requests = ClayProvider().render(event("lead.created", kThreeLeads),
                                                    integration(settings));
        ASSERT_EQ(requests.size(), 3u);
        for (const auto& request : requests) EXPECT_TRUE(request.headers.empty());
    }
}

TEST(ClayProvider, RefusesToSendAnUnsafeAuthToken) {
    EXPECT_THROW(ClayProvider().render(event("lead.created", kThreeLeads),
                                       integration({{"authToken", "abc\r\nX-Injected: 1"}})),
                 std::runtime_error);
}

TEST(ClayProvider, ALeadEventWithoutLeadsIsAnError) {
    for (const std::string data : {R"({"count":0,"leads":[]})", R"({"count":0})",
                                   R"({"count":1,"leads":["not an object"]})", "not json", "[1]"}) {
        EXPECT_THROW(ClayProvider().render(event("lead.created", data), integration()),
                     std::runtime_error)
            << data;
    }
}

}  // namespace
}  // namespace smbhub::providers
