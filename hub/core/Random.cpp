#include "core/Random.h"

#include <openssl/rand.h>

#include <chrono>

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

namespace {

// Appends `bytes` in base32 (5 bits a character, the last partial group padded with zero bits).
void appendBase32(std::string& out, std::string_view bytes, const char (&alphabet)[33]) {
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(buffer >> (bits - 5)) & 31u];
            bits -= 5;
        }
    }
    if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31u];
}

}  // namespace

std::string newId(std::string_view prefix) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string id(prefix);
    id += '_';
    appendBase32(id, randomBytes(20), alphabet);
    return id;
}

std::string newSortableId(std::string_view prefix) {
    static constexpr char ordered[] = "234567abcdefghijklmnopqrstuvwxyz";  // ascending in ASCII
    const auto millis = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    std::string id(prefix);
    id += '_';
    for (int shift = 45; shift >= 0; shift -= 5) id += ordered[(millis >> shift) & 31u];  // 10 characters
    std::string random = randomBytes(14);  // 112 bits, of which 110 are used
    std::string tail;
    appendBase32(tail, random, ordered);
    id.append(tail, 0, 22);
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
