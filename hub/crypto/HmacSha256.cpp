#include "crypto/HmacSha256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace smbhub::crypto {

std::string hmacSha256(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // A zero-length key is a valid HMAC key, but OpenSSL wants a non-null pointer for it.
    static const unsigned char emptyKey = 0;
    const void* keyData = key.empty() ? &emptyKey : static_cast<const void*>(key.data());
    if (HMAC(EVP_sha256(), keyData, static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
             &length) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace smbhub::crypto
