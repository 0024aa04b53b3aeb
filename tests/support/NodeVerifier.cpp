#include "support/NodeVerifier.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/ChildProcess.h"
#include "support/TempDir.h"

namespace smbhub::test {
namespace {

// Verbatim from the seed; only the lines before it are ours.
constexpr const char* kSeedSnippet = R"js(const crypto = require("crypto");
const expected = crypto
.createHmac("sha256", process.env.SIGNING_SECRET)
.update(`${timestamp}.${rawBody}`)
.digest("hex");
if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(v1))) {
throw new Error("Bad signature");
}
)js";

// The snippet compares one `v1`; during a secret rotation's overlap the header carries two (SPEC
// §15), so — as docs/signatures.md tells receivers — it is run for each until one verifies.
constexpr const char* kHarnessHead = R"js(
// node verify.js <body file> <signature file>, with SIGNING_SECRET in the environment
const fs = require("fs");
const rawBody = fs.readFileSync(process.argv[2], "utf8");
const signatureHeader = fs.readFileSync(process.argv[3], "utf8");
let timestamp = null;
const signatures = [];
for (const part of signatureHeader.split(",")) {
  const at = part.indexOf("=");
  if (at <= 0) continue;
  const key = part.slice(0, at).trim();
  if (key === "t") timestamp = part.slice(at + 1).trim();
  if (key === "v1") signatures.push(part.slice(at + 1).trim());
}
if (!timestamp || signatures.length === 0) {
  throw new Error("X-SMB-Signature lacks t or v1: " + signatureHeader);
}
let verified = false;
for (const v1 of signatures) {
  try {
)js";
constexpr const char* kHarnessTail = R"js(
    verified = true;
    break;
  } catch (err) {
    // not this one
  }
}
if (!verified) throw new Error("Bad signature");
)js";

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("NodeVerifier: cannot write " + path);
}

}  // namespace

std::optional<std::string> NodeVerifier::findNode() {
    const char* path = std::getenv("PATH");
    const std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    for (const char* name : {"node", "nodejs"}) {
        std::size_t start = 0;
        while (start <= dirs.size()) {
            const std::size_t colon = dirs.find(':', start);
            const std::string dir = dirs.substr(start, colon - start);
            const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
    }
    return std::nullopt;
}

std::string NodeVerifier::script() { return std::string(kHarnessHead) + kSeedSnippet + kHarnessTail; }

NodeVerdict NodeVerifier::verify(const std::string& signingSecret,
                                 const std::string& signatureHeader, const std::string& rawBody) {
    const auto node = findNode();
    if (!node) {
        throw std::runtime_error(
            "Node.js is not installed (no `node` or `nodejs` on PATH); the seed's verification "
            "snippet cannot run. Install it with `apt-get install nodejs`.");
    }
    TempDir dir("smbhub-node");
    writeFile(dir.file("verify.js"), script());
    writeFile(dir.file("body"), rawBody);
    writeFile(dir.file("signature"), signatureHeader);

    const CommandResult result = ChildProcess::run(
        *node, {dir.file("verify.js"), dir.file("body"), dir.file("signature")},
        std::chrono::seconds(30), {{"SIGNING_SECRET", signingSecret}});
    NodeVerdict verdict;
    verdict.exitCode = result.exitCode;
    verdict.verified = result.exitCode == 0 && !result.timedOut;
    verdict.output = result.out + result.err;
    return verdict;
}

}  // namespace smbhub::test
