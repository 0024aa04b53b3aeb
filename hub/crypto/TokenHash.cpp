#include "crypto/TokenHash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/Encoding.h"

namespace smbhub::crypto {

std::string sha256Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return core::hexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace smbhub::crypto
