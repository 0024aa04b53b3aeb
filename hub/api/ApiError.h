// The one way an API failure reaches a client (SPEC §6): an HTTP status, a code, a sentence,
// and the offending field when there is one. Handlers throw it; ApiServer renders it as
// {"error":{"code","message","field"?}}.
//
// Thread-safety: a value (an exception carrying one error); copy it freely.
#pragma once

#include <stdexcept>
#include <string>

namespace smbhub::api {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message, std::string field = "")
        : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}

    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& field() const { return field_; }
    int retryAfterSeconds() const { return retryAfterSeconds_; }
    const std::string& allow() const { return allow_; }  // 405: the methods the path takes

    static ApiError invalid(const std::string& message, const std::string& field = "") {
        return ApiError(400, "invalid_request", message, field);
    }
    static ApiError unauthorized(const std::string& message = "missing or invalid credentials") {
        return ApiError(401, "unauthorized", message);
    }
    static ApiError planRequired(const std::string& message) {
        return ApiError(403, "plan_required", message);
    }
    static ApiError notFound(const std::string& message = "not found") {
        return ApiError(404, "not_found", message);
    }
    static ApiError forbidden(const std::string& message) { return ApiError(403, "forbidden", message); }
    static ApiError methodNotAllowed(const std::string& method, const std::string& allow) {
        ApiError e(405, "method_not_allowed", method + " is not allowed on this path (allowed: " + allow + ")");
        e.allow_ = allow;
        return e;
    }
    static ApiError conflict(const std::string& message) { return ApiError(409, "conflict", message); }
    static ApiError payloadTooLarge(std::size_t limit) {
        return ApiError(413, "payload_too_large",
                        "request body is larger than " + std::to_string(limit) + " bytes");
    }
    static ApiError unsupportedMediaType() {
        return ApiError(415, "unsupported_media_type", "request body must be application/json");
    }
    static ApiError idempotencyMismatch() {
        return ApiError(422, "idempotency_mismatch",
                        "this Idempotency-Key was used with a different request body",
                        "Idempotency-Key");
    }
    static ApiError rateLimited(int retryAfterSeconds) {
        ApiError e(429, "rate_limited", "too many requests; retry after " +
                                            std::to_string(retryAfterSeconds) + " s");
        e.retryAfterSeconds_ = retryAfterSeconds;
        return e;
    }
    static ApiError providerUnavailable(const std::string& message) {
        return ApiError(503, "provider_unavailable", message);
    }
    // The database cannot take the write now; nothing was stored. Safe to retry.
    static ApiError unavailable(const std::string& message = "the hub cannot store this right now; retry shortly") {
        ApiError e(503, "unavailable", message);
        e.retryAfterSeconds_ = 1;
        return e;
    }
    // The connection to the database was lost while it committed: the write may have been
    // stored. Same code (the client retries either way), but it is told to keep the key.
    static ApiError unavailableOutcomeUnknown() {
        return unavailable("the database did not confirm the write in time: it may have been stored;"
                           " retry with the same Idempotency-Key");
    }
    static ApiError internal() { return ApiError(500, "internal", "internal error"); }
    // An error the HTTP server answers by itself (framing, limits, overload), by status.
    static ApiError fromStatus(int status, const std::string& message) {
        switch (status) {
            case 413: return ApiError(413, "payload_too_large", message);
            case 503: {
                ApiError e(503, "unavailable", message);
                e.retryAfterSeconds_ = 1;
                return e;
            }
            case 500: return internal();
            default: return invalid(message);
        }
    }

private:
    int status_;
    std::string code_;
    std::string field_;
    int retryAfterSeconds_ = 0;
    std::string allow_;
};

}  // namespace smbhub::api
