#include "core/Random.h"

#include <openssl/rand.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/Encoding.h"

namespace smbhub::core {

std::string randomBytes(std::size_t count) {
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("the system random generator failed");
    }
    return out;
}

std::string newId(std::string_view prefix) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    const std::string bytes = randomBytes(20);
    std::string id(prefix);
    id += '_';
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            id += alphabet[(buffer >> (bits - 5)) & 31u];
            bits -= 5;
        }
    }
    return id;
}

std::string newToken(std::string_view prefix, std::size_t bytes) {
    return std::string(prefix) + base64UrlEncode(randomBytes(bytes));
}

double randomUnit() {
    std::uint64_t value = 0;
    const std::string bytes = randomBytes(sizeof value);
    std::memcpy(&value, bytes.data(), sizeof value);
    return static_cast<double>(value >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace smbhub::core
