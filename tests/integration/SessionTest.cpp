// The dashboard's sign-in (SPEC §16, docs/api.md "Sessions"): POST /api/session exchanges an
// account's API key for the smb_session cookie (HttpOnly, SameSite=Lax, Path=/, Max-Age =
// auth.session_ttl, Secure behind TLS), the cookie then works for the API and expires,
// DELETE /api/session removes it, and another site can neither sign a browser in nor out.
// GET /api/session says who is signed in, whether integrations are usable and why not, and
// which optional features the hub serves. Also: the page itself, served with a strict
// Content-Security-Policy from the binary, and OAuth returning to it by default.
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/RegularExpression.h>

#include <chrono>
#include <ctime>
#include <set>
#include <string>
#include <thread>

#include "HubTest.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// "smb_session=<value>; Max-Age=…; …" -> <value>
std::string cookieValue(const std::string& setCookie) {
    const auto eq = setCookie.find('=');
    const auto semicolon = setCookie.find(';');
    if (eq == std::string::npos) return "";
    return setCookie.substr(eq + 1, semicolon == std::string::npos ? std::string::npos : semicolon - eq - 1);
}

// The attributes of a Set-Cookie value, lower case, without the name=value pair.
std::set<std::string> cookieAttributes(const std::string& setCookie) {
    std::set<std::string> out;
    std::size_t at = setCookie.find(';');
    while (at != std::string::npos) {
        const std::size_t next = setCookie.find(';', at + 1);
        std::string part = setCookie.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
        while (!part.empty() && part.front() == ' ') part.erase(0, 1);
        for (auto& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.insert(part);
        at = next;
    }
    return out;
}

class SessionTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        return {{"auth.session_ttl", "\"2h\""}, {"plugins.enabled", "[webhook, zapier, hubspot]"}};
    }

    ApiResponse signIn(const std::string& apiKey, const HttpHeaders& headers = {},
                       const std::string& contentType = "application/json") {
        ApiRequest request;
        request.method = "POST";
        request.path = "/api/session";
        request.body = "{\"apiKey\":" + jsonQuote(apiKey) + "}";
        request.contentType = contentType;
        request.headers = headers;
        return api().send(request);
    }

    HttpHeaders ownOrigin() { return {{"Origin", hub().baseUrl()}}; }

    static HttpHeaders withCookie(const std::string& jwt) { return {{"Cookie", "smb_session=" + jwt}}; }
};

TEST_F(SessionTest, SignInSetsAnHttpOnlyLaxCookieThatLastsTheSessionTtl) {
    const TestAccount account = createAccount("pro", "Acme");
    const ApiResponse response = signIn(account.apiKey, ownOrigin());
    ASSERT_EQ(response.status, 200) << response.describe();
    const std::string setCookie = response.header("Set-Cookie");
    ASSERT_EQ(setCookie.rfind("smb_session=", 0), 0u) << setCookie;
    EXPECT_EQ(cookieAttributes(setCookie),
              (std::set<std::string>{"httponly", "samesite=lax", "path=/", "max-age=7200"}))
        << "no Secure over plain HTTP: " << setCookie;

    // The value is the SPEC §5 session: an HS256 JWT of auth.session_secret, sub = the account,
    // exp = now + auth.session_ttl.
    const std::string jwt = cookieValue(setCookie);
    Poco::JWT::Signer signer(hub().sessionSecret());
    const Poco::JWT::Token token = signer.verify(jwt);
    EXPECT_EQ(token.getSubject(), account.id);
    const auto exp = token.getExpiration().epochTime();
    EXPECT_NEAR(static_cast<double>(exp), static_cast<double>(std::time(nullptr) + 7200), 120.0);
    EXPECT_EQ(response.string("account.id"), account.id);
    EXPECT_EQ(response.string("account.name"), "Acme");

    // The cookie alone now works for the API (as the page uses it).
    EXPECT_EQ(api().get("/api/integrations", "", withCookie(jwt)).status, 200);
    const ApiResponse who = api().get("/api/session", "", withCookie(jwt));
    ASSERT_EQ(who.status, 200) << who.describe();
    EXPECT_EQ(who.string("account.plan"), "pro");
    EXPECT_EQ(who.string("signedInBy"), "session");
    EXPECT_TRUE(jsonBool(who.json, "integrations.usable"));
}

TEST_F(SessionTest, BehindTlsTheCookieIsSecure) {
    const TestAccount account = createAccount();
    const ApiResponse proxied = signIn(account.apiKey, {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(proxied.status, 200) << proxied.describe();
    EXPECT_EQ(cookieAttributes(proxied.header("Set-Cookie")).count("secure"), 1u) << proxied.header("Set-Cookie");
    // A page on https (its Origin says so) gets a Secure cookie too.
    const std::string httpsOrigin = "https://" + hub().host() + ":" + std::to_string(hub().port());
    const ApiResponse fromHttpsPage = signIn(account.apiKey, {{"Origin", httpsOrigin}});
    ASSERT_EQ(fromHttpsPage.status, 200) << fromHttpsPage.describe();
    EXPECT_EQ(cookieAttributes(fromHttpsPage.header("Set-Cookie")).count("secure"), 1u);
    const ApiResponse signOut = api().del("/api/session", "", {{"X-Forwarded-Proto", "https"}});
    EXPECT_EQ(cookieAttributes(signOut.header("Set-Cookie")).count("secure"), 1u) << signOut.header("Set-Cookie");
}

TEST_F(SessionTest, SignOutRemovesTheCookie) {
    const TestAccount account = createAccount();
    const std::string jwt = cookieValue(signIn(account.apiKey, ownOrigin()).header("Set-Cookie"));
    const ApiResponse out = api().del("/api/session", "", {{"Origin", hub().baseUrl()}, {"Cookie", "smb_session=" + jwt}});
    ASSERT_EQ(out.status, 204) << out.describe();
    const std::string setCookie = out.header("Set-Cookie");
    EXPECT_EQ(cookieValue(setCookie), "") << setCookie;
    const auto attributes = cookieAttributes(setCookie);
    EXPECT_EQ(attributes.count("max-age=0"), 1u) << setCookie;
    EXPECT_EQ(attributes.count("path=/"), 1u) << setCookie;
    EXPECT_EQ(attributes.count("httponly"), 1u) << setCookie;
    // A browser without the cookie is signed out.
    EXPECT_TRUE(isApiError(api().get("/api/session"), 401, "unauthorized"));
}

TEST_F(SessionTest, AnotherSiteCanNeitherSignInNorOut) {
    const TestAccount account = createAccount();
    // Login CSRF: another site's script or form signing the visitor in to its own account.
    const ApiResponse evil = signIn(account.apiKey, {{"Origin", "https://evil.example"}});
    EXPECT_TRUE(isApiError(evil, 403, "forbidden")) << evil.describe();
    EXPECT_EQ(evil.header("Set-Cookie"), "");
    const ApiResponse form = signIn(account.apiKey, {}, "application/x-www-form-urlencoded");
    EXPECT_TRUE(isApiError(form, 403, "forbidden")) << form.describe();
    EXPECT_EQ(form.header("Set-Cookie"), "");
    const ApiResponse out = api().del("/api/session", "", {{"Origin", "https://evil.example"}});
    EXPECT_TRUE(isApiError(out, 403, "forbidden"));
    EXPECT_EQ(out.header("Set-Cookie"), "");
}

TEST_F(SessionTest, AWrongKeyOrTheAdminTokenDoesNotSignIn) {
    createAccount();
    const ApiResponse wrong = signIn("smbk_" + std::string(43, 'A'), ownOrigin());
    EXPECT_TRUE(isApiError(wrong, 401, "unauthorized", "apiKey")) << wrong.describe();
    EXPECT_EQ(wrong.header("Set-Cookie"), "");
    EXPECT_TRUE(isApiError(signIn(hub().adminToken(), ownOrigin()), 401, "unauthorized", "apiKey"));
    EXPECT_TRUE(isApiError(api().post("/api/session", "{}"), 400, "invalid_request", "apiKey"));
    EXPECT_TRUE(isApiError(api().post("/api/session", R"({"apiKey":"x","extra":1})"), 400, "invalid_request", "extra"));
    EXPECT_TRUE(isApiError(api().get("/api/session", hub().adminToken()), 401, "unauthorized"));
}

TEST_F(SessionTest, ASuspendedAccountSignsInAndIsToldWhyNothingIsUsable) {
    const TestAccount account = createAccount("pro", "Paused Co");
    ASSERT_EQ(api().patch("/api/admin/accounts/" + account.id, R"({"status":"suspended"})", hub().adminToken()).status, 200);
    const ApiResponse in = signIn(account.apiKey, ownOrigin());
    ASSERT_EQ(in.status, 200) << in.describe();
    EXPECT_FALSE(jsonBool(in.json, "integrations.usable", true));
    EXPECT_EQ(in.string("integrations.reason"), "account_suspended");
    EXPECT_THAT(in.string("integrations.message"), HasSubstr("suspended"));
    const std::string jwt = cookieValue(in.header("Set-Cookie"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", withCookie(jwt)), 403, "plan_required"));
}

TEST_F(SessionTest, AnUnpaidAccountSignsInAndIsToldWhyNothingIsUsable) {
    const TestAccount account = createAccount("free", "Free Co");
    const ApiResponse in = signIn(account.apiKey, ownOrigin());
    ASSERT_EQ(in.status, 200) << in.describe();
    EXPECT_FALSE(jsonBool(in.json, "integrations.usable", true));
    EXPECT_EQ(in.string("integrations.reason"), "plan_required");
    EXPECT_THAT(in.string("integrations.message"), HasSubstr("paid plan"));
    const std::string jwt = cookieValue(in.header("Set-Cookie"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", withCookie(jwt)), 403, "plan_required"));
    // The API key tells the same through GET /api/session.
    EXPECT_EQ(api().get("/api/session", account.apiKey).string("integrations.reason"), "plan_required");
}

// Each feature the session lists is exactly a route the hub answers: the page shows a control
// only when the API behind it exists.
TEST_F(SessionTest, TheFeaturesAreTheRoutesTheHubServes) {
    const TestAccount account = createAccount();
    const ApiResponse who = api().get("/api/session", account.apiKey);
    ASSERT_EQ(who.status, 200) << who.describe();
    const std::string id = "int_" + std::string(32, 'a');
    const std::vector<std::tuple<std::string, std::string, std::string>> features = {
        {"sendTest", "POST", "/api/integrations/" + id + "/test"},
        {"edit", "PATCH", "/api/integrations/" + id},
        {"delete", "DELETE", "/api/integrations/" + id},
        {"deliveries", "GET", "/api/integrations/" + id + "/deliveries"},
        {"retry", "POST", "/api/integrations/" + id + "/deliveries/dlv_x/retry"},
        {"rotateSecret", "POST", "/api/integrations/" + id + "/rotate-secret"},
        {"replay", "POST", "/api/integrations/" + id + "/replay"},
        {"oauth", "GET", "/api/integrations/hubspot/start"},
    };
    for (const auto& [name, method, path] : features) {
        ApiRequest request;
        request.method = method;
        request.path = path;
        request.bearerToken = account.apiKey;
        if (method == "POST" || method == "PATCH") request.body = "{}";
        const ApiResponse probe = api().send(request);
        // The router's own 404 for a path it does not know says "no such endpoint".
        const bool served = !(probe.status == 404 && probe.errorMessage().rfind("no such endpoint", 0) == 0) &&
                            probe.status != 405;
        EXPECT_EQ(jsonBool(who.json, "features." + name, !served), served) << name << ": " << probe.describe();
    }
    EXPECT_TRUE(jsonBool(who.json, "features.sendTest"));
    EXPECT_TRUE(jsonBool(who.json, "features.retry"));
}

TEST_F(SessionTest, ProvidersCarryTheirUrlHint) {
    const TestAccount account = createAccount();
    const ApiResponse providers = api().get("/api/integrations/providers", account.apiKey);
    ASSERT_EQ(providers.status, 200);
    std::map<std::string, std::string> hints;
    for (const auto& p : jsonArray(providers.json, "providers")) hints[jsonString(p, "id")] = jsonString(p, "urlHint");
    EXPECT_THAT(hints["zapier"], HasSubstr("https://hooks.zapier.com/hooks/catch/"));
    EXPECT_THAT(hints["make"], HasSubstr("make.com"));
    EXPECT_THAT(hints["clay"], HasSubstr("https://api.clay.com/"));
    EXPECT_THAT(hints["webhook"], HasSubstr("https://"));
    EXPECT_EQ(hints["hubspot"], "") << "OAuth providers have no URL to type";
}

class ShortSessionTest : public SessionTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override { return {{"auth.session_ttl", "\"5s\""}}; }
};

TEST_F(ShortSessionTest, TheSessionEndsAfterItsTtl) {
    const TestAccount account = createAccount();
    const ApiResponse in = signIn(account.apiKey, ownOrigin());
    ASSERT_EQ(in.status, 200) << in.describe();
    EXPECT_EQ(cookieAttributes(in.header("Set-Cookie")).count("max-age=5"), 1u) << in.header("Set-Cookie");
    const std::string jwt = cookieValue(in.header("Set-Cookie"));
    EXPECT_EQ(api().get("/api/session", "", withCookie(jwt)).status, 200);
    std::this_thread::sleep_for(6500ms);  // past exp (whole seconds) whatever the rounding
    EXPECT_TRUE(isApiError(api().get("/api/session", "", withCookie(jwt)), 401, "unauthorized"));
    EXPECT_TRUE(isApiError(api().get("/api/integrations", "", withCookie(jwt)), 401, "unauthorized"));
}

TEST_F(SessionTest, TheDashboardIsServedFromTheBinaryWithAStrictPolicy) {
    const ApiResponse page = api().get("/dashboard");
    ASSERT_EQ(page.status, 200) << page.describe();
    EXPECT_THAT(page.header("Content-Type"), HasSubstr("text/html"));
    const std::string csp = page.header("Content-Security-Policy");
    EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
    EXPECT_THAT(csp, HasSubstr("script-src 'self'"));
    EXPECT_THAT(csp, HasSubstr("style-src 'self'"));
    EXPECT_THAT(csp, HasSubstr("connect-src 'self'"));
    EXPECT_THAT(csp, Not(HasSubstr("unsafe")));
    EXPECT_EQ(api().get("/dashboard/").status, 200);
    // No inline script or style: every <script> has a src, no style attribute or element.
    EXPECT_FALSE(Poco::RegularExpression("<script(?![^>]*\\bsrc=)[^>]*>", Poco::RegularExpression::RE_CASELESS)
                     .match(page.body));
    EXPECT_THAT(page.body, Not(HasSubstr("style=")));
    EXPECT_THAT(page.body, Not(HasSubstr("<style")));

    // Every file the page and its modules name is served, with its type, revalidated by ETag.
    std::set<std::string> pending = {"/dashboard"}, seen;
    const Poco::RegularExpression reference("(?:src|href)=\"(/dashboard/[^\"]+)\"|from \"\\./([^\"]+)\"");
    while (!pending.empty()) {
        const std::string path = *pending.begin();
        pending.erase(pending.begin());
        if (!seen.insert(path).second) continue;
        const ApiResponse file = api().get(path);
        ASSERT_EQ(file.status, 200) << path << ": " << file.describe();
        EXPECT_THAT(file.header("Content-Security-Policy"), HasSubstr("script-src 'self'")) << path;
        std::string::size_type offset = 0;
        Poco::RegularExpression::MatchVec match;
        while (reference.match(file.body, offset, match) > 0) {
            const bool absolute = match.size() > 1 && match[1].length > 0 && match[1].offset != std::string::npos;
            const auto& m = absolute ? match[1] : match[2];
            pending.insert((absolute ? "" : "/dashboard/") + file.body.substr(m.offset, m.length));
            offset = match[0].offset + match[0].length;
        }
        if (path.size() > 3 && path.substr(path.size() - 3) == ".js") {
            EXPECT_THAT(file.header("Content-Type"), HasSubstr("text/javascript")) << path;
            for (const char* markupSink : {".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
                EXPECT_EQ(file.body.find(markupSink), std::string::npos)
                    << path << " uses " << markupSink << ": text from the API must go in as text";
            }
            const std::string etag = file.header("ETag");
            ASSERT_FALSE(etag.empty()) << path;
            EXPECT_EQ(api().get(path, "", {{"If-None-Match", etag}}).status, 304) << path;
        }
    }
    EXPECT_GE(seen.size(), 8u) << "the page, its stylesheet, icon and modules";
    EXPECT_TRUE(seen.count("/dashboard/style.css"));
    EXPECT_TRUE(isApiError(api().get("/dashboard/missing.js"), 404, "not_found"));
    const ApiResponse root = api().get("/");
    EXPECT_EQ(root.status, 302);
    EXPECT_EQ(root.header("Location"), "/dashboard");
}

TEST_F(SessionTest, OAuthReturnsToTheHubsOwnPageByDefault) {
    const ApiResponse back = api().get("/api/integrations/hubspot/callback?code=x");
    ASSERT_EQ(back.status, 302) << back.describe();
    EXPECT_EQ(back.header("Location"), "/dashboard?provider=hubspot&status=error&reason=missing_state");
}

}  // namespace
}  // namespace smbhub::test
