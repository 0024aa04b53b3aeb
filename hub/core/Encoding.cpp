#include "core/Encoding.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <sstream>

namespace smbhub::core {

std::string hexEncode(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

namespace {
std::string encode(std::string_view bytes, int options) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, options);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}
}  // namespace

std::string base64Encode(std::string_view bytes) { return encode(bytes, 0); }

std::string base64UrlEncode(std::string_view bytes) {
    return encode(bytes, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
}

std::optional<std::string> base64Decode(std::string_view text) {
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '+' || c == '/' || c == '=';
        if (!ok) return std::nullopt;
    }
    try {
        std::istringstream in{std::string(text)};
        Poco::Base64Decoder decoder(in);
        std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        return out;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
    std::string standard;
    standard.reserve(text.size() + 3);
    for (char c : text) {
        if (c == '+' || c == '/') return std::nullopt;  // the other alphabet
        standard += c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (standard.size() % 4 != 0) standard += '=';
    return base64Decode(standard);
}

}  // namespace smbhub::core
