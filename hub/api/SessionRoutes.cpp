// The dashboard's sign-in (SPEC §16): POST /api/session exchanges an account's API key for the
// `smb_session` cookie, DELETE /api/session removes it, GET /api/session says who is signed in,
// whether that account may use integrations (and why not), and which optional features this hub
// serves — read off the route table, so the page never offers what the API would refuse.
//
// Sign-in and sign-out take no credential of their own, so the browser rule of SPEC §13 is
// applied to them whatever cookie they carry: a JSON body, and an Origin (when sent) of the
// hub's own or dashboard.url's. That stops another site from signing a visitor in to an account
// of its choosing (login CSRF) or out of theirs.
#include <algorithm>
#include <sstream>

#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/BrowserRequestPolicy.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/Router.h"
#include "api/SessionCookie.h"
#include "core/Clock.h"
#include "core/Json.h"
#include "crypto/TokenHash.h"

namespace smbhub::api {
namespace {

// Optional parts of the API the page offers only when this hub serves them. Patterns name
// parameters by position only (":"), so a route's parameter names do not matter.
struct Feature {
    const char* name;
    const char* route;
};
constexpr Feature kFeatures[] = {
    {"sendTest", "POST /api/integrations/:/test"},
    {"edit", "PATCH /api/integrations/:"},
    {"delete", "DELETE /api/integrations/:"},
    {"deliveries", "GET /api/integrations/:/deliveries"},
    {"retry", "POST /api/integrations/:/deliveries/:/retry"},
    {"rotateSecret", "POST /api/integrations/:/rotate-secret"},
    {"replay", "POST /api/integrations/:/replay"},
    {"oauth", "GET /api/integrations/:/start"},
};

// "POST /api/integrations/:id/test" -> "POST /api/integrations/:/test".
std::string withAnonymousParameters(const std::string& route) {
    std::istringstream in(route);
    std::string method, path;
    in >> method >> path;
    std::string out = method + " ";
    std::istringstream segments(path);
    for (std::string segment; std::getline(segments, segment, '/');) {
        if (segment.empty()) continue;
        out.append("/").append(segment[0] == ':' ? std::string(":") : segment);  // not "/" + …: GCC 12 -O3 -Wrestrict
    }
    return out;
}

Poco::JSON::Object::Ptr featuresJson(const Router& router) {
    std::vector<std::string> served = router.describe();
    std::transform(served.begin(), served.end(), served.begin(), withAnonymousParameters);
    auto out = core::orderedObject();
    for (const Feature& f : kFeatures) {
        out->set(f.name, std::find(served.begin(), served.end(), f.route) != served.end());
    }
    return out;
}

Poco::JSON::Object::Ptr sessionJson(const ApiServices& s, const Router& router, const store::Account& account,
                                    const std::string& signedInBy) {
    auto who = core::orderedObject();
    who->set("id", account.id);
    who->set("name", account.name);
    who->set("plan", account.plan);
    who->set("status", account.status);
    auto integrations = core::orderedObject();
    const auto problem = auth::Authenticator::planProblem(account, s.config.auth.paidPlans);
    integrations->set("usable", !problem.has_value());
    if (problem) {
        integrations->set("reason", account.status != "active" ? "account_suspended" : "plan_required");
        integrations->set("message", *problem);
    }
    auto out = core::orderedObject();
    out->set("account", who);
    out->set("signedInBy", signedInBy);
    out->set("integrations", integrations);
    out->set("features", featuresJson(router));
    return out;
}

void refuseCrossSite(const ApiServices& s, const ApiRequest& r) {
    if (const auto problem = browserRequestProblem(r.http, s.config.dashboard.url)) throw ApiError::forbidden(*problem);
}

void signIn(ApiServices& s, const Router& router, ApiRequest& r) {
    refuseCrossSite(s, r);
    // Keys carry 256 random bits, so guessing is hopeless; the limit keeps a script from
    // turning sign-in into a database load.
    if (const int wait = s.rateLimiter.acquire("sign-in:" + r.http.peerAddress)) throw ApiError::rateLimited(wait);
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"apiKey"});
    const std::string key = requireString(body, "apiKey", 256);
    const auto caller = s.authenticator.identify("Bearer " + key, "");
    if (!caller || !caller->account) {
        throw ApiError(401, "unauthorized", "this API key is not valid; use an account's key (smbk_…)", "apiKey");
    }
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(s.config.auth.sessionTtl);
    const std::int64_t expiresAt = core::nowMillis() / 1000 + ttl.count();
    // The session is bound to the key: revoking the key ends it (SPEC §14, a leaked key).
    const auto keyId = s.stores.accounts.activeApiKeyId(crypto::sha256Hex(key));
    if (!keyId) throw ApiError(401, "unauthorized", "this API key is not valid; use an account's key (smbk_…)", "apiKey");
    const std::string token =
        auth::issueSessionToken(s.config.auth.sessionSecret, caller->account->id, expiresAt, *keyId);
    r.response.add("Set-Cookie", sessionCookie(token, ttl, reachedOverTls(r.http, s.config.dashboard.url)));
    auto out = sessionJson(s, router, *caller->account, "session");
    out->set("expiresAt", core::isoUtc(expiresAt * 1000));
    sendJson(r.response, 200, out);
}

void signOut(ApiServices& s, ApiRequest& r) {
    refuseCrossSite(s, r);
    r.response.add("Set-Cookie", expiredSessionCookie(reachedOverTls(r.http, s.config.dashboard.url)));
    sendNoContent(r.response);
}

void whoIsSignedIn(ApiServices& s, const Router& router, ApiRequest& r) {
    if (!r.caller.account) throw ApiError::unauthorized("the admin token is not a session; sign in with an account");
    sendJson(r.response, 200, sessionJson(s, router, *r.caller.account, r.caller.bySession ? "session" : "apiKey"));
}

}  // namespace

void addSessionRoutes(Router& router, ApiServices& s) {
    // The handlers read the route table when called, by then complete.
    const Router& table = router;
    router.add("GET", "/api/session", Access::AnyCaller, [&s, &table](ApiRequest& r) { whoIsSignedIn(s, table, r); });
    router.add("POST", "/api/session", Access::Public, [&s, &table](ApiRequest& r) { signIn(s, table, r); });
    router.add("DELETE", "/api/session", Access::Public, [&s](ApiRequest& r) { signOut(s, r); });
}

}  // namespace smbhub::api
