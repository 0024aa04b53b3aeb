#include "crypto/SignatureV1.h"

#include <stdexcept>
#include <vector>

#include "core/Encoding.h"
#include "crypto/ConstantTime.h"
#include "crypto/HmacSha256.h"

namespace smbhub::crypto {
namespace {

std::string signedMessage(std::string_view t, std::string_view body) {
    std::string message;
    message.reserve(t.size() + 1 + body.size());
    message.append(t).append(".").append(body);
    return message;
}

}  // namespace

std::string hmacSha256Hex(std::string_view key, std::string_view message) {
    return core::hexEncode(hmacSha256(key, message));
}

std::string signatureV1Header(std::string_view secret, std::int64_t unixSeconds,
                              std::string_view body) {
    const std::string one(secret);
    return signatureV1Header(std::span<const std::string>(&one, 1), unixSeconds, body);
}

std::string signatureV1Header(std::span<const std::string> secrets, std::int64_t unixSeconds,
                              std::string_view body) {
    if (secrets.empty()) throw std::invalid_argument("signatureV1Header: no signing secret");
    const std::string t = std::to_string(unixSeconds);
    const std::string message = signedMessage(t, body);
    std::string header = "t=" + t;
    for (const std::string& secret : secrets) header.append(",v1=").append(hmacSha256Hex(secret, message));
    return header;
}

bool verifySignatureV1(std::string_view secret, std::string_view header, std::string_view body) {
    std::string_view t;
    std::vector<std::string_view> signatures;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view part = header.substr(0, comma);
        if (part.rfind("t=", 0) == 0) t = part.substr(2);
        if (part.rfind("v1=", 0) == 0) signatures.push_back(part.substr(3));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
    if (t.empty() || signatures.empty()) return false;
    const std::string expected = hmacSha256Hex(secret, signedMessage(t, body));
    bool matched = false;
    for (std::string_view v1 : signatures) matched |= constantTimeEquals(expected, v1);
    return matched;
}

}  // namespace smbhub::crypto
