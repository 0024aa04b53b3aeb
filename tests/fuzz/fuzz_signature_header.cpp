// libFuzzer: an X-SMB-Signature header value and a body, through the verifier. Nothing may
// crash, and a header the hub itself made for the body must verify. The header line also serves
// as a signing secret for the Standard Webhooks signer, whose secret decoder reads any string.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/SignatureV1.h"
#include "crypto/StandardWebhooks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view header = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    const std::string secret = "whsec_fuzz";
    using namespace smbhub::crypto;
    (void)verifySignatureV1(secret, header, body);
    // What the hub itself writes for this body must always verify.
    if (!verifySignatureV1(secret, signatureV1Header(secret, 1700000000, body), body)) std::abort();
    // Any secret signs: decoded when it is base64 in one alphabet, else used raw, never empty.
    if (standardWebhooksKey(header).empty() && !header.empty()) std::abort();
    (void)standardWebhooksSignature(header, "dlv_fuzz", 1700000000, body);
    return 0;
}
