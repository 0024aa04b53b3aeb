#include "crypto/StandardWebhooks.h"

#include <optional>
#include <stdexcept>

#include "core/Encoding.h"
#include "crypto/HmacSha256.h"

namespace smbhub::crypto {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

bool isAlphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Base64 in either alphabet (standard "+/" or URL-safe "-_", never both), padding optional but
// exact when present. nullopt when `text` is not that: the caller falls back to the raw secret.
std::optional<std::string> decodeEitherAlphabet(std::string_view text) {
    std::size_t end = text.size();
    while (end > 0 && text[end - 1] == '=') --end;
    const std::string_view digits = text.substr(0, end);
    const std::size_t padding = text.size() - end;
    if (digits.empty() || digits.size() % 4 == 1) return std::nullopt;
    if (padding != 0 && (padding > 2 || text.size() % 4 != 0)) return std::nullopt;
    bool standard = false;
    bool urlSafe = false;
    std::string normalised;
    normalised.reserve(digits.size() + 3);
    for (char c : digits) {
        if (c == '+' || c == '/') {
            standard = true;
        } else if (c == '-' || c == '_') {
            urlSafe = true;
            c = c == '-' ? '+' : '/';
        } else if (!isAlphanumeric(c)) {
            return std::nullopt;
        }
        normalised += c;
    }
    if (standard && urlSafe) return std::nullopt;
    while (normalised.size() % 4 != 0) normalised += '=';
    auto key = core::base64Decode(normalised);
    if (!key || key->empty()) return std::nullopt;
    return key;
}

std::string signedMessage(std::string_view webhookId, std::string_view t, std::string_view body) {
    std::string message;
    message.reserve(webhookId.size() + t.size() + 2 + body.size());
    message.append(webhookId).append(".").append(t).append(".").append(body);
    return message;
}

}  // namespace

std::string standardWebhooksKey(std::string_view signingSecret) {
    std::string_view encoded = signingSecret;
    if (encoded.substr(0, kSecretPrefix.size()) == kSecretPrefix) {
        encoded.remove_prefix(kSecretPrefix.size());
    }
    if (auto key = decodeEitherAlphabet(encoded)) return std::move(*key);
    return std::string(signingSecret);
}

std::string standardWebhooksSignature(std::string_view signingSecret, std::string_view webhookId,
                                      std::int64_t unixSeconds, std::string_view body) {
    const std::string message = signedMessage(webhookId, std::to_string(unixSeconds), body);
    return "v1," + core::base64Encode(hmacSha256(standardWebhooksKey(signingSecret), message));
}

std::string webhookSignatureHeader(std::span<const std::string> signingSecrets,
                                   std::string_view webhookId, std::int64_t unixSeconds,
                                   std::string_view body) {
    if (signingSecrets.empty()) throw std::invalid_argument("webhookSignatureHeader: no signing secret");
    const std::string message = signedMessage(webhookId, std::to_string(unixSeconds), body);
    std::string header;
    for (const std::string& secret : signingSecrets) {
        if (!header.empty()) header += ' ';
        header.append("v1,").append(core::base64Encode(hmacSha256(standardWebhooksKey(secret), message)));
    }
    return header;
}

}  // namespace smbhub::crypto
