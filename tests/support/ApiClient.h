// A plain HTTP client for the hub's REST API, one connection per request (so a test never trips
// over a keep-alive connection the hub closed). Sends any method, body and Content-Type — tests
// need malformed requests too — and never throws for an HTTP or transport error: it reports
// them in the ApiResponse. When the server answers before it has read the whole body (a 413)
// and the write fails, the answer is still read. Every answer is recorded for the check against
// docs/openapi.json (support/ResponseRecorder.h). Thread-safe: each call uses its own session.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/ApiResponse.h"

namespace smbhub::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
    std::string method = "GET";
    std::string path = "/";
    std::optional<std::string> body;             // sent with Content-Length when set
    std::string contentType = "application/json";  // used only with a body
    std::string bearerToken;                     // "Authorization: Bearer …" when not empty
    HttpHeaders headers;                         // extra headers, e.g. Cookie, Idempotency-Key
    bool chunked = false;  // the body with Transfer-Encoding: chunked instead of Content-Length
};

class ApiClient {
public:
    ApiClient(std::string host, int port,
              std::chrono::milliseconds timeout = std::chrono::seconds(15));

    ApiResponse send(const ApiRequest& request) const;

    ApiResponse get(const std::string& path, const std::string& bearerToken = "",
                    const HttpHeaders& headers = {}) const;
    ApiResponse post(const std::string& path, const std::string& jsonBody,
                     const std::string& bearerToken = "", const HttpHeaders& headers = {}) const;
    ApiResponse patch(const std::string& path, const std::string& jsonBody,
                      const std::string& bearerToken = "", const HttpHeaders& headers = {}) const;
    ApiResponse del(const std::string& path, const std::string& bearerToken = "",
                    const HttpHeaders& headers = {}) const;

private:
    std::string host_;
    int port_;
    std::chrono::milliseconds timeout_;
};

}  // namespace smbhub::test
