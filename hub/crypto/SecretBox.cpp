#include "crypto/SecretBox.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "core/Encoding.h"
#include "core/Random.h"

namespace smbhub::crypto {
namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kVersion = "v1:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw std::runtime_error("cannot allocate a cipher context");
    return ctx;
}

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
    if (key_.size() != 32) throw std::invalid_argument("secrets.key must decode to 32 bytes");
}

std::string SecretBox::seal(std::string_view plaintext, std::string_view associatedData) const {
    const std::string nonce = core::randomBytes(kNonceBytes);
    std::string out = nonce;
    out.resize(kNonceBytes + plaintext.size() + kTagBytes);
    auto* cipher = reinterpret_cast<unsigned char*>(out.data() + kNonceBytes);
    CipherContext ctx = newContext();
    int length = 0;
    bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(associatedData),
                                static_cast<int>(associatedData.size())) == 1 &&
              EVP_EncryptUpdate(ctx.get(), cipher, &length, bytes(plaintext),
                                static_cast<int>(plaintext.size())) == 1 &&
              EVP_EncryptFinal_ex(ctx.get(), cipher + length, &length) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                                  cipher + plaintext.size()) == 1;
    if (!ok) throw std::runtime_error("encryption failed");
    return std::string(kVersion) + core::base64Encode(out);
}

std::optional<std::string> SecretBox::open(std::string_view sealed,
                                           std::string_view associatedData) const {
    if (sealed.substr(0, kVersion.size()) != kVersion) return std::nullopt;
    const auto raw = core::base64Decode(sealed.substr(kVersion.size()));
    if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
    const std::string_view all(*raw);
    const std::string_view nonce = all.substr(0, kNonceBytes);
    const std::string_view cipher = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
    std::string tag(all.substr(all.size() - kTagBytes));
    std::string plain(cipher.size(), '\0');
    CipherContext ctx = newContext();
    int length = 0;
    bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) == 1 &&
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

}  // namespace smbhub::crypto
