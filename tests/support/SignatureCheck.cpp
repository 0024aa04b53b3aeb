#include "support/SignatureCheck.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace smbhub::test {
namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool allOf(const std::string& text, int (*predicate)(int)) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](unsigned char c) {
        return predicate(c) != 0;
    });
}

int isLowerHex(int c) { return std::isdigit(c) || (c >= 'a' && c <= 'f'); }

}  // namespace

bool SignatureCheck::parse(const std::string& headerValue, SignatureHeader& out) {
    SignatureHeader parsed;
    std::size_t start = 0;
    while (start <= headerValue.size()) {
        const std::size_t comma = headerValue.find(',', start);
        const std::string part = trim(headerValue.substr(start, comma - start));
        const std::size_t equals = part.find('=');
        if (equals != std::string::npos) {
            const std::string name = part.substr(0, equals);
            const std::string value = part.substr(equals + 1);
            if (name == "t") parsed.timestamp = value;
            if (name == "v1") parsed.v1 = value;
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (!allOf(parsed.timestamp, [](int c) { return std::isdigit(c); })) return false;
    if (parsed.v1.size() != 64 || !allOf(parsed.v1, isLowerHex)) return false;
    out = parsed;
    return true;
}

std::string SignatureCheck::expectedV1(const std::string& secret, const std::string& timestamp,
                                       const std::string& rawBody) {
    const std::string message = timestamp + "." + rawBody;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
              &length)) {
        throw std::runtime_error("SignatureCheck: OpenSSL HMAC failed");
    }
    static const char* const hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0f];
    }
    return out;
}

SignatureVerdict SignatureCheck::verify(const std::string& headerValue, const std::string& secret,
                                        const std::string& rawBody) {
    SignatureVerdict verdict;
    if (!parse(headerValue, verdict.header)) {
        verdict.reason = "malformed X-SMB-Signature \"" + headerValue + "\"";
        return verdict;
    }
    const std::string expected = expectedV1(secret, verdict.header.timestamp, rawBody);
    verdict.valid = CRYPTO_memcmp(expected.data(), verdict.header.v1.data(), expected.size()) == 0;
    if (!verdict.valid) {
        verdict.reason = "v1 " + verdict.header.v1 + " != expected " + expected + " for t=" +
                         verdict.header.timestamp + " over " + std::to_string(rawBody.size()) +
                         " body bytes";
    }
    return verdict;
}

}  // namespace smbhub::test
