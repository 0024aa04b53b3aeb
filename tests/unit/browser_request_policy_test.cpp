#include <gtest/gtest.h>

#include "api/BrowserRequestPolicy.h"

namespace smbhub::api {
namespace {

server::Request request(const std::string& method, std::vector<server::Header> headers, std::string body = "") {
    server::Request r;
    r.method = method;
    r.path = "/api/integrations/webhook";
    r.headers = std::move(headers);
    r.headers.push_back({"Host", "hub.example.com:8080"});
    r.body = std::move(body);
    return r;
}

const std::string kDashboard = "https://app.example.com/settings/integrations";

TEST(BrowserRequestPolicy, ReadsAreNeverRefused) {
    EXPECT_EQ(browserRequestProblem(request("GET", {{"Origin", "https://evil.example"}}), kDashboard), std::nullopt);
}

TEST(BrowserRequestPolicy, AWriteWithABodyMustBeJson) {
    EXPECT_NE(browserRequestProblem(request("POST", {{"Content-Type", "text/plain"}}, "{}"), kDashboard), std::nullopt);
    EXPECT_NE(browserRequestProblem(request("POST", {}, "{}"), kDashboard), std::nullopt);
    EXPECT_EQ(browserRequestProblem(request("POST", {{"Content-Type", "application/json; charset=utf-8"}}, "{}"),
                                    kDashboard),
              std::nullopt);
    EXPECT_EQ(browserRequestProblem(request("POST", {}), kDashboard), std::nullopt) << "no body";
}

TEST(BrowserRequestPolicy, AWriteMustComeFromTheHubOrTheDashboard) {
    const auto from = [&](const std::string& origin) {
        return browserRequestProblem(request("DELETE", {{"Origin", origin}}), kDashboard);
    };
    EXPECT_EQ(from("http://hub.example.com:8080"), std::nullopt);
    EXPECT_EQ(from("https://hub.example.com:8080"), std::nullopt);
    EXPECT_EQ(from("https://app.example.com"), std::nullopt);
    EXPECT_EQ(from("https://APP.example.com:443"), std::nullopt);
    EXPECT_NE(from("https://app.example.com:8443"), std::nullopt);
    EXPECT_NE(from("https://evil.example"), std::nullopt);
    EXPECT_NE(from("null"), std::nullopt);
    EXPECT_NE(from("http://hub.example.com"), std::nullopt) << "another port is another origin";
}

TEST(BrowserRequestPolicy, OriginOfAUrl) {
    EXPECT_EQ(originOf("https://Example.com/x?y"), "https://example.com");
    EXPECT_EQ(originOf("http://example.com:80/"), "http://example.com");
    EXPECT_EQ(originOf("http://[::1]:8080/"), "http://[::1]:8080");
    EXPECT_EQ(originOf("ftp://example.com"), "");
    EXPECT_EQ(originOf("not a url"), "");
}

}  // namespace
}  // namespace smbhub::api
