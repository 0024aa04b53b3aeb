// The delivery log tells the truth about what receivers answered (SPEC §7 attempt object),
// whatever way they write their answer (ReplyWire): bodies at and around the 1 KiB the log keeps
// and the 1 MiB the hub reads, and refusals sent from the request's head alone. Before the
// sender was fixed, a receiver writing head and body apart was logged with an empty body and
// "response body larger than 1 MiB" for every answer.
#include <chrono>
#include <string>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 15s;
constexpr const char* kTooLarge = "response body larger than 1 MiB (not read further)";

// A body whose every prefix is distinguishable: "0000000001…" — the offset of each 10-byte
// group, so a prefix cut or taken from the wrong place shows.
std::string numberedBody(std::size_t size) {
    std::string body;
    for (std::size_t offset = 0; body.size() < size; offset += 10) {
        std::string group = std::to_string(offset);
        body += std::string(10 - std::min<std::size_t>(10, group.size()), '0') + group;
    }
    body.resize(size);
    return body;
}

bool finished(const std::vector<Poco::Dynamic::Var>& attempts) {
    return !attempts.empty() && jsonString(attempts.front(), "status") != "pending";
}

class DeliveryLogTest : public HubTest, public ::testing::WithParamInterface<ReplyWire> {
protected:
    void SetUp() override {
        HubTest::SetUp();
        receiver().setWire(GetParam());
    }
};

INSTANTIATE_TEST_SUITE_P(Wires, DeliveryLogTest, ::testing::ValuesIn(ReplyWire::deliveryShapes()),
                         [](const auto& info) { return info.param.name(); });

TEST_P(DeliveryLogTest, BodiesAroundTheLimitsAreLoggedAsTheyWere) {
    struct Case {
        std::string path;
        std::size_t bytes;
        std::string error;  // expected beside the 200
    };
    const std::vector<Case> cases = {
        {"/hooks/kib", 1024, ""},
        {"/hooks/kib-plus-one", 1024 + 1, ""},
        {"/hooks/mib", 1024 * 1024, ""},
        {"/hooks/mib-plus-one", 1024 * 1024 + 1, kTooLarge},
    };
    const TestAccount account = createAccount();
    std::vector<TestIntegration> integrations;
    for (const auto& c : cases) {
        receiver().setBehaviour(c.path, ReceiverBehaviour::status(200, numberedBody(c.bytes)));
        integrations.push_back(createWebhook(account, c.path));
    }
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();

    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(cases[i].path);
        const auto seen = waitForAttempts(account, integrations[i].id, finished, kDeliveryWait);
        ASSERT_EQ(seen.size(), 1u) << attemptsText(seen);
        const auto& attempt = seen.front();
        // A 2xx is a success even when the body was too large to read whole.
        EXPECT_EQ(jsonString(attempt, "status"), "succeeded");
        EXPECT_EQ(jsonInt(attempt, "responseStatus"), 200);
        EXPECT_EQ(jsonString(attempt, "responseBody"), numberedBody(1024))
            << "the first 1 KiB, exactly";
        EXPECT_EQ(jsonString(attempt, "error"), cases[i].error);
        EXPECT_EQ(receiver().count(cases[i].path), 1u);
    }
}

// Gateways refuse a request from its head (401 without credentials, 413 from the length) and
// drop the connection without reading the body. The log shows their answer, not a broken
// write, and the delivery is retried as for any other refusal. The event is large (five leads
// of 150 KB each) so the request is far from read when the answer comes.
class RefusalFromTheHeadTest : public HubTest {};

TEST_F(RefusalFromTheHeadTest, TheReceiversAnswerIsLogged) {
    const TestAccount account = createAccount();
    const TestIntegration unauthorized = createWebhook(account, "/hooks/unauthorized");
    const TestIntegration tooLarge = createWebhook(account, "/hooks/too-large");
    receiver().setBehaviour("/hooks/unauthorized", ReceiverBehaviour::refuseFromTheHead(401));
    receiver().setBehaviour("/hooks/too-large", ReceiverBehaviour::refuseFromTheHead(413));

    std::string leads;
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) leads += ",";
        leads += R"({"id":"lead_)" + std::to_string(i) + R"(","note":")" +
                 std::string(150 * 1024, 'n') + R"("})";
    }
    const ApiResponse published = publish(account, "lead.created", "{\"leads\":[" + leads + "]}");
    ASSERT_EQ(published.status, 202) << published.describe();

    for (const auto& [integration, status] :
         {std::pair{unauthorized, 401}, std::pair{tooLarge, 413}}) {
        SCOPED_TRACE(integration.path);
        const auto seen = waitForAttempts(
            account, integration.id,
            [](const auto& list) { return list.size() >= 2; }, kDeliveryWait);
        ASSERT_GE(seen.size(), 2u) << attemptsText(seen);
        for (const auto& attempt : seen) {
            SCOPED_TRACE(toJsonText(attempt));
            EXPECT_EQ(jsonInt(attempt, "responseStatus"), status);
            EXPECT_EQ(jsonString(attempt, "responseBody"), "receiver says " + std::to_string(status));
            EXPECT_FALSE(jsonHas(attempt, "error"));
        }
        EXPECT_EQ(jsonString(seen.back(), "status"), "pending") << "a refusal is retried";
        const auto arrived = receiver().requests(integration.path);
        ASSERT_FALSE(arrived.empty());
        EXPECT_FALSE(arrived.front().bodyRead);
        EXPECT_EQ(arrived.front().header("X-SMB-Attempt"), "1");
    }
}

}  // namespace
}  // namespace smbhub::test
