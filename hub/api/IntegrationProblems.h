// How the integrations service's problems reach a client: as the API's errors (SPEC §6).
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <variant>

#include "api/ApiError.h"
#include "integrations/IntegrationService.h"

namespace smbhub::api {

inline ApiError toApiError(const integrations::IntegrationProblem& problem) {
    using Kind = integrations::IntegrationProblem::Kind;
    switch (problem.kind) {
        case Kind::ProviderUnavailable: return ApiError::providerUnavailable(problem.message);
        case Kind::NotFound: return ApiError::notFound(problem.message);
        case Kind::Conflict: return ApiError::conflict(problem.message);
        case Kind::Invalid: break;
    }
    return ApiError::invalid(problem.message, problem.field);
}

// The value of an outcome, or the client's error for its problem.
template <typename T>
T valueOrThrow(integrations::Outcome<T> outcome) {
    if (auto* problem = std::get_if<integrations::IntegrationProblem>(&outcome)) throw toApiError(*problem);
    return std::get<T>(std::move(outcome));
}

}  // namespace smbhub::api
