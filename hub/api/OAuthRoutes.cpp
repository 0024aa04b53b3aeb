// OAuth connection of CRM providers (SPEC §7, §9): /api/integrations/<provider>/start returns
// the provider's authorization URL and a state; /callback checks that state and sends the
// browser back to the dashboard with the outcome. The state is random, single-use, bound to
// the account that started, and valid for ten minutes; only its hash is stored.
#include <Poco/URI.h>


#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonResponse.h"
#include "core/Json.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "core/Random.h"
#include "crypto/TokenHash.h"
#include "plugins/ProviderCatalogue.h"

namespace smbhub::api {
namespace {

constexpr std::int64_t kStateLifetimeMs = 10 * 60 * 1000;

bool isSeedOAuthProvider(const std::string& id) {
    const sdk::ProviderInfo* seed = plugins::findSeedProvider(id);
    return seed && seed->kind == sdk::ProviderKind::OAuth;
}

// The loaded OAuth provider for a start request, or the error the client should see.
const plugins::LoadedProvider& oauthProvider(const ApiServices& s, const std::string& id) {
    const plugins::LoadedProvider* provider = s.plugins.find(id);
    if (!provider) {
        if (isSeedOAuthProvider(id)) throw ApiError::providerUnavailable(id + " is not enabled on this hub");
        throw ApiError::notFound("no OAuth provider " + id);
    }
    if (provider->info.kind != sdk::ProviderKind::OAuth) {
        throw ApiError::invalid(id + " is a webhook provider: create it with POST /api/integrations/webhook",
                                "provider");
    }
    if (!provider->configured) {
        throw ApiError::providerUnavailable(id + " is not configured on this hub (no client_id)");
    }
    return *provider;
}

void start(ApiServices& s, ApiRequest& r) {
    const plugins::LoadedProvider& provider = oauthProvider(s, r.param("provider"));
    const auto query = r.http.queryParameters();
    const std::string state = core::newToken("", 32);
    sdk::OAuthStart started;
    try {
        started = provider.provider->oauthStart({state, query});
    } catch (const std::exception& e) {
        throw ApiError::providerUnavailable(provider.id + " could not start OAuth: " + e.what());
    }
    if (!started.input.ok) throw ApiError::invalid(started.input.message, started.input.field);
    if (!started.available || started.url.empty()) {
        throw ApiError::providerUnavailable(provider.id + " is not configured on this hub");
    }
    const std::int64_t now = core::nowMillis();
    const auto env = query.find("env");
    s.stores.oauth.createState({crypto::sha256Hex(state), r.account().id, provider.id,
                              env == query.end() ? std::string() : env->second, now, now + kStateLifetimeMs});
    auto out = core::orderedObject();
    out->set("url", started.url);
    out->set("state", state);
    sendJson(r.response, 200, out);
}

void redirectToDashboard(ApiServices& s, ApiRequest& r, const std::string& provider, const std::string& reason) {
    Poco::URI target(s.config.dashboard.url);
    target.addQueryParameter("provider", provider);
    if (reason.empty()) {
        target.addQueryParameter("status", "connected");
    } else {
        target.addQueryParameter("status", "error");
        target.addQueryParameter("reason", reason);
    }
    sendRedirect(r.response, target.toString());
}

// The reason a callback cannot connect, or "" when it can; consumes the state when it is ours.
std::string checkCallback(ApiServices& s, ApiRequest& r, const std::string& provider,
                          const std::map<std::string, std::string>& query, store::OAuthState& state) {
    const auto param = [&](const char* name) {
        const auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    };
    if (!s.plugins.find(provider)) return "provider_unavailable";
    if (param("state").empty()) return "missing_state";
    const auto consumed = s.stores.oauth.consumeState(crypto::sha256Hex(param("state")), provider, core::nowMillis());
    switch (consumed.check) {
        case store::OAuthStateCheck::Unknown:
        case store::OAuthStateCheck::OtherProvider: return "invalid_state";
        case store::OAuthStateCheck::Reused: return "state_reused";
        case store::OAuthStateCheck::Expired: return "state_expired";
        case store::OAuthStateCheck::Valid: break;
    }
    state = consumed.state;
    if (!param("error").empty()) return "access_denied";  // the user or provider declined
    if (param("code").empty()) return "missing_code";
    // A browser signed in as another account must not attach this connection to itself.
    if (const auto session = r.http.cookie("smb_session")) {
        const auto caller = s.authenticator.identify("", *session);
        if (caller && caller->account && caller->account->id != state.accountId) return "account_mismatch";
    }
    return "";
}

void callback(ApiServices& s, ApiRequest& r) {
    const std::string provider = r.param("provider");
    const plugins::LoadedProvider* loaded = s.plugins.find(provider);
    const bool oauth = loaded ? loaded->info.kind == sdk::ProviderKind::OAuth : isSeedOAuthProvider(provider);
    if (!oauth) throw ApiError::notFound("no OAuth provider " + provider);
    store::OAuthState state;
    const std::string reason = checkCallback(s, r, provider, r.http.queryParameters(), state);
    if (reason.empty()) {
        // The code-for-token exchange arrives with the CRM upserts; the connection is kept now.
        s.stores.oauth.recordConnection({core::newId("oac"), state.accountId, provider, state.env, core::nowMillis()});
    }
    redirectToDashboard(s, r, provider, reason);
}

}  // namespace

void addOAuthRoutes(Router& router, ApiServices& s) {
    router.add("GET", "/api/integrations/:provider/start", Access::PaidAccount, [&s](ApiRequest& r) { start(s, r); });
    router.add("GET", "/api/integrations/:provider/callback", Access::Public,
               [&s](ApiRequest& r) { callback(s, r); });
}

}  // namespace smbhub::api
