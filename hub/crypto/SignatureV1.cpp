#include "crypto/SignatureV1.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "core/Encoding.h"
#include "crypto/ConstantTime.h"

namespace smbhub::crypto {

std::string hmacSha256Hex(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
             &length) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return core::hexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string signatureV1Header(std::string_view secret, std::int64_t unixSeconds,
                              std::string_view body) {
    const std::string t = std::to_string(unixSeconds);
    std::string message;
    message.reserve(t.size() + 1 + body.size());
    message.append(t).append(".").append(body);
    return "t=" + t + ",v1=" + hmacSha256Hex(secret, message);
}

bool verifySignatureV1(std::string_view secret, std::string_view header, std::string_view body) {
    std::string_view t;
    std::string_view v1;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view part = header.substr(0, comma);
        if (part.rfind("t=", 0) == 0) t = part.substr(2);
        if (part.rfind("v1=", 0) == 0) v1 = part.substr(3);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
    if (t.empty() || v1.empty()) return false;
    std::string message(t);
    message.append(".").append(body);
    return constantTimeEquals(hmacSha256Hex(secret, message), v1);
}

}  // namespace smbhub::crypto
