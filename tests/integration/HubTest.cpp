#include "HubTest.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

namespace smbhub::test {
namespace {

void require(bool condition, const std::string& what, const ApiResponse& response) {
    if (!condition) throw std::runtime_error(what + ": " + response.describe());
}

}  // namespace

const TestCertificates& HubTest::certificates() {
    static const TestCertificates shared;
    return shared;
}

void HubTest::SetUp() {
    receiver_ = std::make_unique<HttpsReceiver>(certificates());
    hub_ = std::make_unique<HubProcess>(certificates().caFile(), hubOverrides());
    hub_->start();
}

void HubTest::TearDown() {
    // The receiver first: it answers every held request and refuses new ones, so the hub has
    // nothing in flight to wait for when it is asked to stop.
    if (receiver_) receiver_->stop();
    if (hub_) {
        const bool wasRunning = hub_->running();
        hub_->stop();
        // Asked to stop, a hub ends by itself and with 0; in the sanitizer build (CI) that also
        // says LeakSanitizer found nothing to report at its exit.
        if (wasRunning) {
            EXPECT_EQ(hub_->exitCode(), std::optional<int>(0)) << "smb-hub did not end cleanly on SIGTERM";
        }
        if (HasFailure()) {
            std::cout << "---- smb-hub log (" << hub_->dir().path() << ") ----\n"
                      << hub_->logText() << "---- end of smb-hub log ----\n";
        }
    }
    hub_.reset();
    receiver_.reset();
}

ApiClient HubTest::api() const { return ApiClient(hub_->host(), hub_->port()); }

TestAccount HubTest::createAccount(const std::string& plan, const std::string& name) {
    const ApiResponse response =
        api().post("/api/admin/accounts",
                   "{\"name\":" + jsonQuote(name) + ",\"plan\":" + jsonQuote(plan) + "}",
                   hub_->adminToken());
    require(response.status == 201, "POST /api/admin/accounts", response);
    TestAccount account{response.string("id"), response.string("apiKey")};
    require(!account.id.empty() && !account.apiKey.empty(), "account without id or apiKey",
            response);
    return account;
}

TestIntegration HubTest::createWebhook(const TestAccount& account, const std::string& path,
                                       const std::vector<std::string>& events) {
    const std::string body = "{\"provider\":\"webhook\",\"displayName\":" +
                             jsonQuote("Receiver " + path) +
                             ",\"targetUrl\":" + jsonQuote(receiver_->url(path)) +
                             ",\"events\":" + jsonStringArray(events) + "}";
    ApiResponse response = api().post("/api/integrations/webhook", body, account.apiKey);
    // Per-account rate limits (SPEC §11) may push back on a burst of set-up calls: wait as told.
    for (int retries = 0; response.status == 429 && retries < 10; ++retries) {
        const int seconds = std::max(1, std::atoi(response.header("Retry-After").c_str()));
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        response = api().post("/api/integrations/webhook", body, account.apiKey);
    }
    require(response.status == 201, "POST /api/integrations/webhook", response);
    TestIntegration integration{response.string("id"), response.string("signingSecret"), path,
                                response};
    require(!integration.id.empty(), "integration without id", response);
    return integration;
}

ApiResponse HubTest::publish(const TestAccount& account, const std::string& type,
                             const std::string& dataJson, const HttpHeaders& headers) {
    return api().post("/api/events", "{\"type\":" + jsonQuote(type) + ",\"data\":" + dataJson + "}",
                      account.apiKey, headers);
}

std::vector<Poco::Dynamic::Var> HubTest::attempts(const TestAccount& account,
                                                  const std::string& integrationId) {
    const ApiResponse response =
        api().get("/api/integrations/" + integrationId + "/deliveries", account.apiKey);
    require(response.status == 200, "GET deliveries", response);
    return jsonArray(response.json, "deliveries");
}

std::map<std::string, int> HubTest::waitForDeliveryIds(const std::set<std::string>& expected,
                                                       std::chrono::milliseconds timeout) {
    std::map<std::string, int> arrivals;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        arrivals.clear();
        for (const auto& request : receiver_->requests()) ++arrivals[request.header("X-SMB-Delivery")];
        if (missingFrom(arrivals, expected) == 0 || std::chrono::steady_clock::now() >= deadline) return arrivals;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

std::size_t HubTest::missingFrom(const std::map<std::string, int>& arrivals, const std::set<std::string>& expected) {
    std::size_t missing = 0;
    for (const auto& id : expected) missing += arrivals.count(id) ? 0 : 1;
    return missing;
}

::testing::AssertionResult HubTest::isApiError(const ApiResponse& response, int status,
                                              const std::string& code,
                                              const std::string& fieldPrefix) {
    if (response.status != status) {
        return ::testing::AssertionFailure()
               << "expected status " << status << ", got " << response.describe();
    }
    if (response.errorCode() != code) {
        return ::testing::AssertionFailure()
               << "expected error.code \"" << code << "\", got " << response.describe();
    }
    if (response.errorMessage().empty()) {
        return ::testing::AssertionFailure() << "error.message is empty: " << response.describe();
    }
    if (!fieldPrefix.empty() && response.errorField().rfind(fieldPrefix, 0) != 0) {
        return ::testing::AssertionFailure() << "expected error.field naming \"" << fieldPrefix
                                             << "\", got " << response.describe();
    }
    return ::testing::AssertionSuccess();
}

std::string HubTest::leadsData(int count) {
    std::string leads;
    for (int i = 1; i <= count; ++i) {
        if (i > 1) leads += ",";
        leads += "{\"id\":\"lead_" + std::to_string(i) + "\",\"businessName\":\"Business " +
                 std::to_string(i) + " LLC\",\"email\":\"owner" + std::to_string(i) +
                 "@example.com\",\"state\":\"TX\"}";
    }
    return "{\"leads\":[" + leads + "]}";
}

std::string HubTest::attemptsText(const std::vector<Poco::Dynamic::Var>& attempts) {
    std::string text;
    for (const auto& attempt : attempts) text += toJsonText(attempt) + "\n";
    return text;
}

}  // namespace smbhub::test
