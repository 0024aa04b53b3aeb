#include "support/SecretsAtRest.h"

#include <openssl/evp.h>

#include <memory>
#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

namespace smbhub::test {
namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr const char* kPrefix = "v1:";

const unsigned char* bytes(const std::string& text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::optional<std::string> base64Decode(const std::string& text) {
    try {
        std::istringstream in(text);
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        return out.str();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::optional<std::string> SecretsAtRest::open(const std::string& sealed, const std::string& key,
                                               const std::string& associatedData) {
    if (key.size() != 32 || sealed.rfind(kPrefix, 0) != 0) return std::nullopt;
    const auto raw = base64Decode(sealed.substr(std::string(kPrefix).size()));
    if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
    const std::string nonce = raw->substr(0, kNonceBytes);
    const std::string cipher = raw->substr(kNonceBytes, raw->size() - kNonceBytes - kTagBytes);
    std::string tag = raw->substr(raw->size() - kTagBytes);
    std::string plain(cipher.size(), '\0');
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    int length = 0;
    const bool ok =
        ctx &&
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(associatedData),
                          static_cast<int>(associatedData.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &length,
                          bytes(cipher), static_cast<int>(cipher.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                            tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + length,
                            &length) == 1;
    if (!ok) return std::nullopt;
    return plain;
}

std::string SecretsAtRest::apiKeyHash(const std::string& apiKey) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(apiKey.data(), apiKey.size(), digest, &length, EVP_sha256(), nullptr);
    static const char* const kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

}  // namespace smbhub::test
