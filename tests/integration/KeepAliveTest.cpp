// The sender's keep-alive pool, end to end against a receiver that keeps connections open
// (ReplyWire::keepingAlive): later deliveries ride the same connection; a connection the
// receiver closed while idle is not used again; and one the receiver drops just as a request
// arrives on it (its idle timeout firing at that moment) costs no failed attempt: the request
// goes again at once on a new connection. The receiver numbers its connections, so reuse is
// seen from the outside.
#include <chrono>
#include <thread>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 10s;

bool succeeded(const std::vector<Poco::Dynamic::Var>& attempts, std::size_t count) {
    if (attempts.size() < count) return false;
    for (const auto& attempt : attempts) {
        if (jsonString(attempt, "status") != "succeeded") return false;
    }
    return true;
}

class KeepAliveTest : public HubTest {
protected:
    // Publishes one event and waits until its delivery is logged as a success.
    ApiResponse deliverOne(const TestAccount& account, const TestIntegration& integration,
                           std::size_t deliveredBefore) {
        const ApiResponse published = publish(account, "lead.created", leadsData(1));
        EXPECT_EQ(published.status, 202) << published.describe();
        const auto seen = waitForAttempts(
            account, integration.id,
            [&](const auto& list) { return succeeded(list, deliveredBefore + 1); },
            kDeliveryWait);
        EXPECT_TRUE(succeeded(seen, deliveredBefore + 1)) << attemptsText(seen);
        return published;
    }

    static void expectCleanLog(const std::vector<Poco::Dynamic::Var>& attempts) {
        for (const auto& attempt : attempts) {
            SCOPED_TRACE(toJsonText(attempt));
            EXPECT_EQ(jsonInt(attempt, "attempt"), 1);
            EXPECT_EQ(jsonString(attempt, "status"), "succeeded");
            EXPECT_EQ(jsonInt(attempt, "responseStatus"), 200);
            EXPECT_EQ(jsonString(attempt, "responseBody"), "ok");
            EXPECT_FALSE(jsonHas(attempt, "error"));
        }
    }
};

TEST_F(KeepAliveTest, LaterDeliveriesRideTheSameConnection) {
    receiver().setWire(ReplyWire::keepingAlive());
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/kept");
    for (std::size_t i = 0; i < 4; ++i) deliverOne(account, integration, i);

    const auto arrived = receiver().requests("/hooks/kept");
    ASSERT_EQ(arrived.size(), 4u);
    for (std::size_t i = 0; i < arrived.size(); ++i) {
        EXPECT_EQ(arrived[i].connection, arrived[0].connection) << "request " << i + 1;
        EXPECT_EQ(arrived[i].onConnection, static_cast<int>(i + 1));
    }
    EXPECT_EQ(receiver().connections(), 1);
    expectCleanLog(attempts(account, integration.id));
}

TEST_F(KeepAliveTest, AConnectionTheReceiverClosedWhileIdleIsNotUsedAgain) {
    ReplyWire wire = ReplyWire::keepingAlive();
    wire.idleTimeout = 300ms;
    receiver().setWire(wire);
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/idle");

    deliverOne(account, integration, 0);
    std::this_thread::sleep_for(1s);  // the receiver closes the idle connection meanwhile
    deliverOne(account, integration, 1);

    const auto arrived = receiver().requests("/hooks/idle");
    ASSERT_EQ(arrived.size(), 2u) << "every event once, nothing sent twice";
    EXPECT_NE(arrived[1].connection, arrived[0].connection);
    EXPECT_EQ(arrived[1].onConnection, 1);
    EXPECT_EQ(arrived[1].header("X-SMB-Attempt"), "1");
    expectCleanLog(attempts(account, integration.id));
}

TEST_F(KeepAliveTest, AConnectionDroppedAsTheRequestArrivesIsRetriedAtOnceOnANewOne) {
    receiver().setWire(ReplyWire::keepingAlive());
    receiver().setBehaviour("/hooks/drop", ReceiverBehaviour::hangUpAfter(1));
    const TestAccount account = createAccount();
    const TestIntegration integration = createWebhook(account, "/hooks/drop");

    deliverOne(account, integration, 0);
    const ApiResponse second = deliverOne(account, integration, 1);
    const std::string deliveryId = jsonString(second.json, "deliveries.0.deliveryId");

    const auto arrived = receiver().requests("/hooks/drop");
    ASSERT_EQ(arrived.size(), 3u);
    // The second event went out on the kept-alive connection, which the receiver dropped…
    EXPECT_EQ(arrived[1].connection, arrived[0].connection);
    EXPECT_EQ(arrived[1].onConnection, 2);
    EXPECT_EQ(arrived[1].answeredStatus, 0) << "hung up on";
    // …and at once again, as the same attempt, on a new connection.
    EXPECT_NE(arrived[2].connection, arrived[0].connection);
    EXPECT_EQ(arrived[2].onConnection, 1);
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(arrived[i].header("X-SMB-Delivery"), deliveryId);
        EXPECT_EQ(arrived[i].header("X-SMB-Attempt"), "1")
            << "a scheduled retry (attempt 2) instead of the sender's own";
    }
    const auto log = attempts(account, integration.id);
    ASSERT_EQ(log.size(), 2u) << attemptsText(log);
    expectCleanLog(log);
}

}  // namespace
}  // namespace smbhub::test
