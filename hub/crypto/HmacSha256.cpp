#include "crypto/HmacSha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace smbhub::crypto {
namespace {

// OpenSSL 3's one-shot HMAC() looks the MAC and the digest up by name on every call (a lock and
// a hash lookup each time, and allocations): on the delivery path, where every request is signed
// twice, that was most of the cost of signing. The algorithm is fetched once per process and each
// thread keeps one context, set to SHA-256 once and re-keyed per message.
EVP_MAC* hmacAlgorithm() {
    static EVP_MAC* const mac = [] {
        EVP_MAC* fetched = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
        if (fetched == nullptr) throw std::runtime_error("HMAC is not available in OpenSSL");
        return fetched;
    }();
    return mac;
}

struct ContextDeleter {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

EVP_MAC_CTX* threadContext() {
    thread_local std::unique_ptr<EVP_MAC_CTX, ContextDeleter> ctx = [] {
        std::unique_ptr<EVP_MAC_CTX, ContextDeleter> created(EVP_MAC_CTX_new(hmacAlgorithm()));
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                     OSSL_PARAM_construct_end()};
        if (!created || EVP_MAC_CTX_set_params(created.get(), params) != 1) {
            throw std::runtime_error("HMAC-SHA256 is not available in OpenSSL");
        }
        return created;
    }();
    return ctx.get();
}

}  // namespace

std::string hmacSha256(std::string_view key, std::string_view message) {
    EVP_MAC_CTX* ctx = threadContext();
    // A zero-length key is a valid HMAC key; a null pointer would mean "the previous key" here.
    static const unsigned char emptyKey = 0;
    const auto* keyData = key.empty() ? &emptyKey : reinterpret_cast<const unsigned char*>(key.data());
    unsigned char digest[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    if (EVP_MAC_init(ctx, keyData, key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        EVP_MAC_final(ctx, digest, &length, sizeof digest) != 1) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace smbhub::crypto
