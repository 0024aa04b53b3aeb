// The fixture every integration test starts from: a recording HTTPS receiver and a freshly
// started `smb-hub` (its own temp dir and SQLite database), plus helpers that speak the SPEC's
// REST API the way a client would. A suite changes the hub's configuration by overriding
// hubOverrides(). Helpers throw std::runtime_error when the hub refuses a set-up step, so the
// test stops there with the hub's answer in the message.
//
// Thread-safety: a fixture: one per test, used on the test's thread; the receiver and hub it holds
// say their own.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/ApiClient.h"
#include "support/HttpsReceiver.h"
#include "support/HubProcess.h"
#include "support/JsonText.h"
#include "support/TestCertificates.h"

namespace smbhub::test {

struct TestAccount {
    std::string id;      // acc_…
    std::string apiKey;  // smbk_…
};

struct TestIntegration {
    std::string id;             // int_…
    std::string signingSecret;  // whsec_…
    std::string path;           // the receiver path it delivers to
    ApiResponse created;        // the 201 response
};

class HubTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Dotted config keys -> raw YAML values applied over HubProcess::testDefaults().
    virtual std::map<std::string, std::string> hubOverrides() const { return {}; }

    // One CA and server certificate for the whole test program (openssl is slow-ish).
    static const TestCertificates& certificates();

    HttpsReceiver& receiver() { return *receiver_; }
    HubProcess& hub() { return *hub_; }
    // A client for the hub's current port (it changes on restart).
    ApiClient api() const;

    TestAccount createAccount(const std::string& plan = "pro",
                              const std::string& name = "Test Co");
    // POST /api/integrations/webhook with provider "webhook" to receiver().url(path).
    TestIntegration createWebhook(const TestAccount& account, const std::string& path,
                                  const std::vector<std::string>& events = {"lead.created"});
    // POST /api/events as the account (its API key).
    ApiResponse publish(const TestAccount& account, const std::string& type,
                        const std::string& dataJson, const HttpHeaders& headers = {});
    // GET /api/integrations/:id/deliveries -> the attempts, newest first.
    std::vector<Poco::Dynamic::Var> attempts(const TestAccount& account,
                                             const std::string& integrationId);
    // Polls the delivery log until `done(attempts)` holds; returns the last attempts seen.
    template <typename Done>
    std::vector<Poco::Dynamic::Var> waitForAttempts(const TestAccount& account,
                                                    const std::string& integrationId, Done done,
                                                    std::chrono::milliseconds timeout);

    // How many times each X-SMB-Delivery id reached the receiver, polled until every id in
    // `expected` has arrived or `timeout` passes. missingFrom() counts the ids still absent.
    std::map<std::string, int> waitForDeliveryIds(const std::set<std::string>& expected,
                                                  std::chrono::milliseconds timeout);
    static std::size_t missingFrom(const std::map<std::string, int>& arrivals,
                                   const std::set<std::string>& expected);

    // Passes when `response` is the SPEC §6 error: this status, a JSON body
    // {"error":{"code":code,"message":non-empty,"field":…}} whose field starts with
    // `fieldPrefix` (when given; "events" also accepts "events[1]").
    static ::testing::AssertionResult isApiError(const ApiResponse& response, int status,
                                                 const std::string& code,
                                                 const std::string& fieldPrefix = "");

    // {"leads":[…n leads…]} for lead.created / lead.updated.
    static std::string leadsData(int count);
    static std::string attemptsText(const std::vector<Poco::Dynamic::Var>& attempts);

private:
    std::unique_ptr<HttpsReceiver> receiver_;
    std::unique_ptr<HubProcess> hub_;
};

template <typename Done>
std::vector<Poco::Dynamic::Var> HubTest::waitForAttempts(const TestAccount& account,
                                                         const std::string& integrationId,
                                                         Done done,
                                                         std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<Poco::Dynamic::Var> seen = attempts(account, integrationId);
    while (!done(seen) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        seen = attempts(account, integrationId);
    }
    return seen;
}

}  // namespace smbhub::test
