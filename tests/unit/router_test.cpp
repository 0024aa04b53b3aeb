#include <gtest/gtest.h>

#include "api/Router.h"

namespace smbhub::api {
namespace {

Router routes() {
    Router r;
    const Handler none = [](ApiRequest&) {};
    r.add("GET", "/api/integrations/providers", Access::AnyCaller, none);
    r.add("GET", "/api/integrations/:id", Access::PaidAccount, none);
    r.add("PATCH", "/api/integrations/:id", Access::PaidAccount, none);
    r.add("POST", "/api/integrations/webhook", Access::PaidAccount, none);
    r.add("POST", "/api/integrations/:id/deliveries/:deliveryId/retry", Access::PaidAccount, none);
    return r;
}

TEST(Router, LiteralSegmentsWinOverParameters) {
    const Router r = routes();
    const RouteMatch providers = r.match("GET", "/api/integrations/providers");
    ASSERT_TRUE(providers.route);
    EXPECT_TRUE(providers.params.empty());
    const RouteMatch one = r.match("GET", "/api/integrations/int_1");
    ASSERT_TRUE(one.route);
    EXPECT_EQ(one.params.at("id"), "int_1");
}

TEST(Router, ExtractsSeveralParameters) {
    const RouteMatch m = routes().match("POST", "/api/integrations/int_1/deliveries/dlv_2/retry");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.params.at("id"), "int_1");
    EXPECT_EQ(m.params.at("deliveryId"), "dlv_2");
}

TEST(Router, DistinguishesUnknownPathsFromWrongMethods) {
    const Router r = routes();
    const RouteMatch wrongMethod = r.match("DELETE", "/api/integrations/int_1");
    EXPECT_FALSE(wrongMethod.route);
    EXPECT_TRUE(wrongMethod.pathMatched);
    const RouteMatch unknown = r.match("GET", "/api/nothing/here");
    EXPECT_FALSE(unknown.route);
    EXPECT_FALSE(unknown.pathMatched);
    EXPECT_FALSE(r.match("GET", "/api/integrations/webhook").route) << "405, not a lookup of id 'webhook'";
}

TEST(Router, NamesTheMethodsAPathTakes) {
    const Router r = routes();
    EXPECT_EQ(r.match("DELETE", "/api/integrations/int_1").allowed, "GET, PATCH");
    EXPECT_EQ(r.match("GET", "/api/integrations/webhook").allowed, "POST");
}

}  // namespace
}  // namespace smbhub::api
