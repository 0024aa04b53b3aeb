#include "crypto/ConstantTime.h"

#include <openssl/crypto.h>

namespace smbhub::crypto {

bool constantTimeEquals(std::string_view a, std::string_view b) {
    // Lengths of tokens are not secret; contents are.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace smbhub::crypto
