// What EnvelopeWebhookProvider gives every provider built on it, checked on each of them (Zapier,
// n8n, Make, Pipedream): a live webhook for all five event types with no settings, the hub's
// envelope sent unchanged for every event type with no headers of its own, and the answers it
// has no rule for left to the hub. What one provider does alone (its name, the URLs it accepts,
// Zapier's 410) is tested beside it.
#include "common/envelope_webhook_provider.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "make/make_provider.h"
#include "n8n/n8n_provider.h"
#include "pipedream/pipedream_provider.h"
#include "zapier/zapier_provider.h"

namespace smbhub::providers {
namespace {

struct EnvelopeProviderCase {
    std::string id;
    std::function<std::unique_ptr<sdk::Provider>()> make;
    std::set<int> ownAnswers;  // statuses the provider judges itself (tested beside it)
};

void PrintTo(const EnvelopeProviderCase& provider, std::ostream* out) { *out << provider.id; }

template <typename P>
std::function<std::unique_ptr<sdk::Provider>()> maker() {
    return [] { return std::make_unique<P>(); };
}

const std::vector<EnvelopeProviderCase> kProviders = {
    {"zapier", maker<ZapierProvider>(), {410}},
    {"n8n", maker<N8nProvider>(), {}},
    {"make", maker<MakeProvider>(), {}},
    {"pipedream", maker<PipedreamProvider>(), {}},
};

const std::vector<std::string> kEventTypes = {"lead.created", "lead.updated", "export.completed",
                                              "email_schedule.sent", "credit.low_balance"};

class EnvelopeWebhookProviderTest : public ::testing::TestWithParam<EnvelopeProviderCase> {};

TEST_P(EnvelopeWebhookProviderTest, IsALiveWebhookForEveryEventTypeWithNoSettings) {
    const sdk::ProviderInfo info = GetParam().make()->describe();
    EXPECT_EQ(info.id, GetParam().id);
    EXPECT_EQ(info.kind, sdk::ProviderKind::Webhook);
    EXPECT_EQ(info.status, sdk::ProviderStatus::Live);
    EXPECT_EQ(info.events, kEventTypes);
    EXPECT_TRUE(info.settingFields.empty());
}

TEST_P(EnvelopeWebhookProviderTest, SendsTheEnvelopeUnchangedForEveryEventType) {
    const auto provider = GetParam().make();
    for (const std::string& type : kEventTypes) {
        sdk::EventView event;
        event.id = "evt_1";
        event.type = type;
        event.dataJson = R"({"count":1,"leads":[{"name":"Acme"}]})";
        event.envelopeJson = R"({"id":"evt_1","type":")" + type +
                             R"(","createdAt":"2024-05-01T12:00:00Z","accountId":"acc_1",)"
                             R"("data":{"count":1,"leads":[{"name":"Acme"}]}})";
        const auto requests = provider->render(event, {});
        ASSERT_EQ(requests.size(), 1u) << type;
        EXPECT_EQ(requests[0].body, event.envelopeJson) << type;
        EXPECT_TRUE(requests[0].headers.empty()) << type;
    }
}

TEST_P(EnvelopeWebhookProviderTest, LeavesTheAnswersItHasNoRuleForToTheHub) {
    const auto provider = GetParam().make();
    for (const int status : {200, 201, 204, 400, 404, 410, 429, 500, 503}) {
        if (GetParam().ownAnswers.count(status)) continue;
        sdk::ResponseView response;
        response.status = status;
        const sdk::ResponseDecision decision = provider->interpret(response);
        EXPECT_EQ(decision.verdict, sdk::Verdict::Default) << status;
        EXPECT_TRUE(decision.reason.empty()) << status;
    }
}

INSTANTIATE_TEST_SUITE_P(Providers, EnvelopeWebhookProviderTest, ::testing::ValuesIn(kProviders),
                         [](const auto& info) { return info.param.id; });

}  // namespace
}  // namespace smbhub::providers
