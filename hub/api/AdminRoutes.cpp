// /api/admin (admin token only): the main application and operators manage accounts (SPEC §5,
// §14) — create, list, read, set plan and status — issue, list and revoke their API keys, and
// look a delivery up with every attempt when a customer asks why it failed.
#include <Poco/JSON/Array.h>

#include <limits>

#include "accounts/AccountService.h"
#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/JsonViews.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "core/Encoding.h"
#include "core/Json.h"

namespace smbhub::api {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

void createAccount(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"name", "plan"});
    const std::string name = requireString(body, "name", 200);
    const std::string plan = requireString(body, "plan", 64);
    const auto created = accounts::createAccount(s.stores.accounts, name, plan);
    auto out = accountJson(created.account);
    out->set("apiKey", created.apiKey);  // shown only here
    out->set("apiKeyId", created.key.id);
    sendJson(r.response, 201, out);
}

// A page ends at an account; the next starts after it. The cursor is that position, opaque to
// clients: base64url of "<createdAt ms>.<id>".
std::string cursorAfter(const store::Account& last) {
    return core::base64UrlEncode(std::to_string(last.createdAt) + "." + last.id);
}

store::AccountPosition positionOf(const std::string& cursor) {
    const auto invalid = [] { return ApiError::invalid("cursor is not one this hub gave out", "cursor"); };
    const auto text = core::base64UrlDecode(cursor);
    if (!text) throw invalid();
    const std::size_t dot = text->find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text->size()) throw invalid();
    store::AccountPosition position;
    try {
        std::size_t used = 0;
        position.createdAt = std::stoll(text->substr(0, dot), &used);
        if (used != dot) throw invalid();
    } catch (const std::logic_error&) {
        throw invalid();
    }
    position.id = text->substr(dot + 1);
    return position;
}

int pageSize(const std::map<std::string, std::string>& query) {
    const auto it = query.find("limit");
    if (it == query.end()) return kDefaultPageSize;
    const std::string& text = it->second;
    const bool digits = !text.empty() && text.size() <= 4 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    const int limit = digits ? std::stoi(text) : 0;
    if (limit < 1 || limit > kMaxPageSize) {
        throw ApiError::invalid("limit must be a whole number from 1 to " + std::to_string(kMaxPageSize), "limit");
    }
    return limit;
}

void listAccounts(ApiServices& s, ApiRequest& r) {
    const auto query = r.http.queryParameters();
    for (const auto& [name, value] : query) {
        if (name != "limit" && name != "cursor") throw ApiError::invalid("unknown query parameter " + name, name);
    }
    const int limit = pageSize(query);
    std::optional<store::AccountPosition> after;
    if (const auto it = query.find("cursor"); it != query.end() && !it->second.empty()) {
        after = positionOf(it->second);
    }
    // One more than asked says whether another page follows.
    std::vector<store::Account> accounts = s.stores.accounts.list(after, limit + 1);
    const bool more = static_cast<int>(accounts.size()) > limit;
    if (more) accounts.resize(static_cast<std::size_t>(limit));
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& a : accounts) items->add(accountJson(a));
    auto out = core::orderedObject();
    out->set("accounts", items);
    out->set("nextCursor", more ? Poco::Dynamic::Var(cursorAfter(accounts.back())) : Poco::Dynamic::Var());
    sendJson(r.response, 200, out);
}

store::Account existingAccount(ApiServices& s, const std::string& id) {
    auto account = s.stores.accounts.find(id);
    if (!account) throw ApiError::notFound("no account " + id);
    return *account;
}

void getAccount(ApiServices& s, ApiRequest& r) {
    sendJson(r.response, 200, accountJson(existingAccount(s, r.param("id"))));
}

void updateAccount(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"plan", "status"});
    const auto plan = optionalString(body, "plan", 64);
    const auto status = optionalString(body, "status", 16);
    if (plan && plan->empty()) throw ApiError::invalid("plan must not be empty", "plan");
    if (status && !accounts::isAccountStatus(*status)) {
        throw ApiError::invalid("status must be active or suspended", "status");
    }
    if (!s.stores.accounts.update(r.param("id"), plan, status)) throw ApiError::notFound("no account " + r.param("id"));
    sendJson(r.response, 200, accountJson(*s.stores.accounts.find(r.param("id"))));
}

void issueApiKey(ApiServices& s, ApiRequest& r) {
    rejectUnknownFields(r.optionalJsonBody(), {});
    const auto issued = accounts::issueApiKey(s.stores.accounts, r.param("id"));
    if (!issued) throw ApiError::notFound("no account " + r.param("id"));
    auto out = apiKeyJson(issued->key);
    out->set("apiKey", issued->apiKey);  // shown only here
    sendJson(r.response, 201, out);
}

void listApiKeys(ApiServices& s, ApiRequest& r) {
    existingAccount(s, r.param("id"));
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
    for (const auto& k : s.stores.accounts.listApiKeys(r.param("id"))) items->add(apiKeyJson(k));
    auto out = core::orderedObject();
    out->set("apiKeys", items);
    sendJson(r.response, 200, out);
}

void revokeApiKey(ApiServices& s, ApiRequest& r) {
    if (!s.stores.accounts.revokeApiKey(r.param("id"), r.param("keyId"), core::nowMillis())) {
        throw ApiError::notFound("account " + r.param("id") + " has no API key " + r.param("keyId"));
    }
    sendNoContent(r.response);
}

void getDelivery(ApiServices& s, ApiRequest& r) {
    const auto history = s.stores.deliveries.history(r.param("deliveryId"));
    if (!history) throw ApiError::notFound("no delivery " + r.param("deliveryId"));
    sendJson(r.response, 200, deliveryHistoryJson(*history));
}

}  // namespace

void addAdminRoutes(Router& router, ApiServices& s) {
    router.add("POST", "/api/admin/accounts", Access::Admin, [&s](ApiRequest& r) { createAccount(s, r); });
    router.add("GET", "/api/admin/accounts", Access::Admin, [&s](ApiRequest& r) { listAccounts(s, r); });
    router.add("GET", "/api/admin/accounts/:id", Access::Admin, [&s](ApiRequest& r) { getAccount(s, r); });
    router.add("PATCH", "/api/admin/accounts/:id", Access::Admin, [&s](ApiRequest& r) { updateAccount(s, r); });
    router.add("POST", "/api/admin/accounts/:id/api-keys", Access::Admin,
               [&s](ApiRequest& r) { issueApiKey(s, r); });
    router.add("GET", "/api/admin/accounts/:id/api-keys", Access::Admin, [&s](ApiRequest& r) { listApiKeys(s, r); });
    router.add("DELETE", "/api/admin/accounts/:id/api-keys/:keyId", Access::Admin,
               [&s](ApiRequest& r) { revokeApiKey(s, r); });
    router.add("GET", "/api/admin/deliveries/:deliveryId", Access::Admin, [&s](ApiRequest& r) { getDelivery(s, r); });
}

}  // namespace smbhub::api
