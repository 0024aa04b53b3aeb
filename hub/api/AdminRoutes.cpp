// /api/admin: the main application creates accounts and sets their plan and status (SPEC §5).
#include "accounts/AccountService.h"
#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/JsonViews.h"
#include "api/Router.h"

namespace smbhub::api {
namespace {

void createAccount(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"name", "plan"});
    const std::string name = requireString(body, "name", 200);
    const std::string plan = requireString(body, "plan", 64);
    const auto created = accounts::createAccount(s.stores.accounts, name, plan);
    auto out = accountJson(created.account);
    out->set("apiKey", created.apiKey);  // shown only here
    sendJson(r.response, 201, out);
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

}  // namespace

void addAdminRoutes(Router& router, ApiServices& s) {
    router.add("POST", "/api/admin/accounts", Access::Admin, [&s](ApiRequest& r) { createAccount(s, r); });
    router.add("PATCH", "/api/admin/accounts/:id", Access::Admin, [&s](ApiRequest& r) { updateAccount(s, r); });
}

}  // namespace smbhub::api
