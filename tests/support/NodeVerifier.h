// Verifies a captured delivery with the seed's Node.js snippet, unchanged (seed/
// integrations-api.txt, "Verifying signatures"): what a customer would paste into their
// receiver. A small script reads SIGNING_SECRET from the environment and the raw body and the
// X-SMB-Signature header from files, takes `timestamp` and each `v1` from the header (two during
// a secret rotation's overlap), then runs the snippet for each `v1` until one verifies; node
// exits 0 when one does. Stateless, thread-safe.
#pragma once

#include <optional>
#include <string>

namespace smbhub::test {

struct NodeVerdict {
    bool verified = false;
    int exitCode = -1;
    std::string output;  // node's stdout and stderr

    explicit operator bool() const { return verified; }
};

class NodeVerifier {
public:
    // `node` or `nodejs` found on PATH.
    static std::optional<std::string> findNode();
    // The script node runs (harness + the seed's snippet).
    static std::string script();
    // Throws std::runtime_error when Node.js is not installed.
    static NodeVerdict verify(const std::string& signingSecret, const std::string& signatureHeader,
                              const std::string& rawBody);
};

}  // namespace smbhub::test
