#include "support/StandardWebhooksCheck.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <regex>
#include <stdexcept>
#include <vector>

namespace smbhub::test {

bool StandardWebhooksCheck::isStandardSecret(const std::string& secret) {
    static const std::regex format("whsec_[A-Za-z0-9+/]{43}=");
    return std::regex_match(secret, format);
}

std::string StandardWebhooksCheck::expectedSignature(const std::string& secret,
                                                     const std::string& webhookId,
                                                     const std::string& webhookTimestamp,
                                                     const std::string& rawBody) {
    if (!isStandardSecret(secret)) {
        throw std::invalid_argument("not a whsec_ + standard base64 secret of 32 bytes");
    }
    const std::string encoded = secret.substr(6);
    unsigned char key[48];
    // EVP_DecodeBlock counts the padding's zero bytes: 44 characters give 33, the last is padding.
    if (EVP_DecodeBlock(key, reinterpret_cast<const unsigned char*>(encoded.data()),
                        static_cast<int>(encoded.size())) != 33) {
        throw std::invalid_argument("the secret's base64 does not decode");
    }
    const std::string message = webhookId + "." + webhookTimestamp + "." + rawBody;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key, 32, reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), digest, &length)) {
        throw std::runtime_error("StandardWebhooksCheck: OpenSSL HMAC failed");
    }
    std::vector<unsigned char> text(4 * ((length + 2) / 3) + 1);
    const int written = EVP_EncodeBlock(text.data(), digest, static_cast<int>(length));
    return "v1," + std::string(reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(written));
}

}  // namespace smbhub::test
