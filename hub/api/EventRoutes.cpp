// POST /api/events: the main application (admin token, any account) or an account itself
// publishes an event (SPEC §8).
#include "api/ApiError.h"
#include "api/ApiServices.h"
#include "api/JsonInput.h"
#include "api/JsonResponse.h"
#include "api/Router.h"
#include "core/Clock.h"
#include "core/Json.h"
#include "crypto/TokenHash.h"

namespace smbhub::api {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 255;

void publish(ApiServices& s, ApiRequest& r) {
    const auto body = r.jsonBody();
    rejectUnknownFields(body, {"type", "data", "accountId"});
    events::PublishRequest request;
    request.type = requireString(body, "type", 64);
    if (body->has("data") && !body->isNull("data") && !body->isObject("data")) {
        throw ApiError::invalid("data must be an object", "data");
    }
    request.data = body->getObject("data");
    const auto accountId = optionalString(body, "accountId", 64);
    if (r.caller.admin) {
        if (!accountId || accountId->empty()) throw ApiError::invalid("accountId is required with the service token", "accountId");
        const auto account = s.stores.accounts.find(*accountId);
        if (!account) throw ApiError::invalid("no account " + *accountId, "accountId");
        // The same gate as for the account itself: its integrations are not in service.
        if (auto problem = auth::Authenticator::planProblem(*account, s.config.auth.paidPlans)) {
            throw ApiError::planRequired(*problem);
        }
        request.accountId = *accountId;
    } else {
        if (accountId && *accountId != r.account().id) {
            throw ApiError::invalid("accountId may only be given with the service token", "accountId");
        }
        request.accountId = r.account().id;
    }
    request.idempotencyKey = r.http.header("Idempotency-Key");
    if (request.idempotencyKey.size() > kMaxIdempotencyKey) {
        throw ApiError::invalid("Idempotency-Key must be at most 255 characters", "Idempotency-Key");
    }
    if (!request.idempotencyKey.empty()) {
        // The parsed body, written back out with its keys in order: the same request however
        // its JSON was spaced or ordered.
        request.requestHash = crypto::sha256Hex(core::condensedJson(body));
        request.idempotencyNotBefore = core::nowMillis() - s.config.retention.idempotencyKeys.count();
    }
    const auto result = s.publisher.publish(request);
    if (const auto* problem = std::get_if<events::EventProblem>(&result)) {
        throw ApiError::invalid(problem->message, problem->field);
    }
    if (std::holds_alternative<events::IdempotencyMismatch>(result)) throw ApiError::idempotencyMismatch();
    sendJsonText(r.response, 202, std::get<events::PublishResult>(result).responseJson);
}

}  // namespace

void addEventRoutes(Router& router, ApiServices& s) {
    router.add("POST", "/api/events", Access::AdminOrPaidAccount, [&s](ApiRequest& r) { publish(s, r); });
}

}  // namespace smbhub::api
