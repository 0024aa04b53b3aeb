// An independent verifier of the hub's `X-SMB-Signature: t=<unix seconds>,v1=<hex>` header
// (SPEC §8): v1 = hex(HMAC-SHA256(key = the signing secret string as shown to the user,
// message = "<t>." + raw body)). Written against the SPEC with OpenSSL directly — it shares no
// code with the hub, so a bug in the hub's signer cannot hide itself. Stateless, thread-safe.
#pragma once

#include <string>

namespace smbhub::test {

struct SignatureHeader {
    std::string timestamp;  // the t= part, digits as sent
    std::string v1;         // the v1= part, lowercase hex as sent
};

struct SignatureVerdict {
    bool valid = false;
    std::string reason;  // why not, for assertion messages
    SignatureHeader header;

    explicit operator bool() const { return valid; }
};

class SignatureCheck {
public:
    // Parses "t=…,v1=…" (in either order, spaces around parts tolerated); false when a part is
    // missing or malformed.
    static bool parse(const std::string& headerValue, SignatureHeader& out);
    // hex(HMAC-SHA256(secret, timestamp + "." + rawBody)), lowercase.
    static std::string expectedV1(const std::string& secret, const std::string& timestamp,
                                  const std::string& rawBody);
    static SignatureVerdict verify(const std::string& headerValue, const std::string& secret,
                                   const std::string& rawBody);
};

}  // namespace smbhub::test
