// Every answer the tests' ApiClient gets from the hub, written down so that it can be checked
// against docs/openapi.json (tests/openapi/validate-responses.mjs, with ajv): one JSON line per
// answer — method, target, status, content type and, for JSON answers, the body — appended to
// <SMBHUB_API_RESPONSES_DIR>/<process id>.jsonl. CTest clears that folder before the integration
// tests and validates it after them (fixture `api_responses`); OpenApiTest validates its own
// process's file. Without SMBHUB_API_RESPONSES_DIR (set in tests/CMakeLists.txt) nothing is
// written. Answers that never came (transport errors) are not recorded.
//
// Thread-safety: recordApiResponse may be called from any thread; each line is written whole.
#pragma once

#include <string>

#include "support/ApiClient.h"

namespace smbhub::test {

void recordApiResponse(const ApiRequest& request, const ApiResponse& response);

// This process's file ("" when recording is off).
std::string apiResponsesFile();

}  // namespace smbhub::test
