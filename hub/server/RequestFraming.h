// How long a request's body is, decided from its head alone (RFC 9112 §6) — strictly, because a
// server and a proxy in front of it that disagree on where a request ends let one client smuggle
// a request into another's connection. Pure functions: no I/O, unit-tested and fuzzed.
//
// The rules (docs/api.md, "HTTP"):
// - neither Content-Length nor Transfer-Encoding: no body;
// - Content-Length: one field, digits only; two fields (even equal), a list or anything else: 400;
// - Transfer-Encoding: only `chunked`, only on HTTP/1.1, never with Content-Length: else 400;
// - HTTP/1.1 needs exactly one Host;
// - a declared length over the limit: 413, answered before reading the body.
// Every refusal closes the connection: the server cannot know where the next request begins.
//
// Thread-safety: pure functions, safe from any thread; FramingVerdict is a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/Request.h"

namespace smbhub::server {

enum class BodyFraming { None, Length, Chunked };

struct FramingVerdict {
    int status = 0;             // 0 = acceptable; else 400 or 413
    std::string message;        // why, for the client
    BodyFraming framing = BodyFraming::None;
    std::uint64_t contentLength = 0;
    bool expectContinue = false;  // "Expect: 100-continue": answer 100 before reading the body

    bool ok() const { return status == 0; }
};

// `versionMinor` is 0 or 1 (HTTP/1.x); `headers` as received, in order.
FramingVerdict checkFraming(int versionMinor, const std::vector<Header>& headers,
                            std::uint64_t maxBodyBytes);

}  // namespace smbhub::server
