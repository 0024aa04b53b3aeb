// The hub's OpenAPI 3.1 description of its HTTP API (docs/openapi.json), embedded in the binary
// at build time by api/EmbedFile.cmake and served at GET /api/openapi.json. The file in the tree
// is the one source: tests check it against the router's table (every route, nothing else),
// lint it with Redocly and validate the integration tests' responses against its schemas.
// Immutable data; thread-safe.
#pragma once

#include <string_view>

namespace smbhub::api {

// The document's bytes, exactly as in docs/openapi.json.
std::string_view openApiDocument();

}  // namespace smbhub::api
