#include "core/StrictJson.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

namespace smbhub::core {
namespace {

class Checker {
public:
    Checker(std::string_view text, int maxDepth) : text_(text), maxDepth_(maxDepth) {}

    std::optional<JsonProblem> run() {
        skipSpace();
        if (!value("", 0)) return problem_;
        skipSpace();
        if (pos_ != text_.size()) {
            fail("unexpected text after the JSON value", "");
            return problem_;
        }
        return std::nullopt;
    }

private:
    bool fail(std::string message, const std::string& field) {
        if (!problem_) problem_ = JsonProblem{std::move(message), field};
        return false;
    }

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }

    void skipSpace() {
        while (!atEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    bool literal(std::string_view word, const std::string& field) {
        if (text_.substr(pos_, word.size()) != word) return fail("invalid JSON value", field);
        pos_ += word.size();
        return true;
    }

    bool value(const std::string& field, int depth) {
        if (atEnd()) return fail("unexpected end of JSON", field);
        switch (peek()) {
            case '{': return object(field, depth + 1);
            case '[': return array(field, depth + 1);
            case '"': {
                std::string ignored;
                return string(ignored, field);
            }
            case 't': return literal("true", field);
            case 'f': return literal("false", field);
            case 'n': return literal("null", field);
            default: return number(field);
        }
    }

    bool object(const std::string& field, int depth) {
        if (depth > maxDepth_) return fail("nested deeper than " + std::to_string(maxDepth_) + " levels", field);
        ++pos_;  // '{'
        skipSpace();
        if (peek() == '}') {
            ++pos_;
            return true;
        }
        std::set<std::string> keys;
        while (true) {
            skipSpace();
            if (peek() != '"') return fail("expected a member name in quotes", field);
            std::string key;
            if (!string(key, field)) return false;
            const std::string member = field.empty() ? key : field + "." + key;
            if (!keys.insert(key).second) return fail("duplicate key \"" + key + "\"", member);
            skipSpace();
            if (peek() != ':') return fail("expected ':' after a member name", member);
            ++pos_;
            skipSpace();
            if (!value(member, depth)) return false;
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == '}') {
                ++pos_;
                return true;
            }
            return fail("expected ',' or '}' in an object", field);
        }
    }

    bool array(const std::string& field, int depth) {
        if (depth > maxDepth_) return fail("nested deeper than " + std::to_string(maxDepth_) + " levels", field);
        ++pos_;  // '['
        skipSpace();
        if (peek() == ']') {
            ++pos_;
            return true;
        }
        for (std::size_t index = 0;; ++index) {
            skipSpace();
            if (!value(field + "[" + std::to_string(index) + "]", depth)) return false;
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == ']') {
                ++pos_;
                return true;
            }
            return fail("expected ',' or ']' in an array", field);
        }
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    bool hex4(unsigned& out, const std::string& field) {
        if (pos_ + 4 > text_.size()) return fail("truncated \\u escape", field);
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexValue(text_[pos_ + static_cast<std::size_t>(i)]);
            if (digit < 0) return fail("invalid \\u escape", field);
            out = out * 16 + static_cast<unsigned>(digit);
        }
        pos_ += 4;
        return true;
    }

    bool escape(std::string& out, const std::string& field) {
        ++pos_;  // '\'
        if (atEnd()) return fail("truncated escape", field);
        const char c = text_[pos_++];
        switch (c) {
            case '"': out += '"'; return true;
            case '\\': out += '\\'; return true;
            case '/': out += '/'; return true;
            case 'b': out += '\b'; return true;
            case 'f': out += '\f'; return true;
            case 'n': out += '\n'; return true;
            case 'r': out += '\r'; return true;
            case 't': out += '\t'; return true;
            case 'u': break;
            default: return fail("invalid escape \\" + std::string(1, c), field);
        }
        unsigned unit = 0;
        if (!hex4(unit, field)) return false;
        unsigned codePoint = unit;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("unpaired surrogate in a \\u escape", field);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") return fail("unpaired surrogate in a \\u escape", field);
            pos_ += 2;
            unsigned low = 0;
            if (!hex4(low, field)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in a \\u escape", field);
            codePoint = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, codePoint);
        return true;
    }

    static void appendUtf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // One UTF-8 sequence starting at pos_ (Unicode 15, table 3-7: well-formed byte sequences).
    bool utf8(std::string& out, const std::string& field) {
        const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[pos_ + i]); };
        const unsigned char lead = byte(0);
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;   // no overlong forms
            if (lead == 0xED) high = 0x9F;  // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;   // no overlong forms
            if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
        } else {
            return fail("invalid UTF-8 in a string", field);
        }
        if (pos_ + length > text_.size()) return fail("invalid UTF-8 in a string", field);
        if (byte(1) < low || byte(1) > high) return fail("invalid UTF-8 in a string", field);
        for (std::size_t i = 2; i < length; ++i) {
            if (byte(i) < 0x80 || byte(i) > 0xBF) return fail("invalid UTF-8 in a string", field);
        }
        out.append(text_.substr(pos_, length));
        pos_ += length;
        return true;
    }

    bool string(std::string& out, const std::string& field) {
        ++pos_;  // '"'
        while (true) {
            if (atEnd()) return fail("unterminated string", field);
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c == '\\') {
                if (!escape(out, field)) return false;
            } else if (c < 0x20) {
                return fail("control character in a string (escape it)", field);
            } else if (c < 0x80) {
                out += static_cast<char>(c);
                ++pos_;
            } else if (!utf8(out, field)) {
                return false;
            }
        }
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool number(const std::string& field) {
        const std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        if (peek() == '0') {
            ++pos_;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) ++pos_;
        } else {
            return fail("invalid JSON value", field);
        }
        bool integral = true;
        if (peek() == '.') {
            integral = false;
            ++pos_;
            if (!isDigit(peek())) return fail("invalid number", field);
            while (isDigit(peek())) ++pos_;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!isDigit(peek())) return fail("invalid number", field);
            while (isDigit(peek())) ++pos_;
        }
        const std::string text(text_.substr(start, pos_ - start));
        if (integral) return integerFits(text, field);
        errno = 0;
        const double value = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(value) || errno == ERANGE) {
            if (std::isfinite(value) && std::fabs(value) < 1.0) return true;  // underflow to ~0 is exact enough
            return fail("number " + text + " is out of range", field);
        }
        if (std::trunc(value) == value && std::fabs(value) > 9007199254740992.0) {
            return fail("number " + text + " is too large to be exact (write it as a string)", field);
        }
        return true;
    }

    bool integerFits(const std::string& text, const std::string& field) {
        errno = 0;
        if (text.front() == '-') {
            std::strtoll(text.c_str(), nullptr, 10);
        } else {
            std::strtoull(text.c_str(), nullptr, 10);
        }
        if (errno == ERANGE) {
            return fail("integer " + text + " does not fit in 64 bits (write it as a string)", field);
        }
        return true;
    }

    std::string_view text_;
    int maxDepth_;
    std::size_t pos_ = 0;
    std::optional<JsonProblem> problem_;
};

}  // namespace

std::optional<JsonProblem> checkStrictJson(std::string_view text, int maxDepth) {
    return Checker(text, maxDepth).run();
}

}  // namespace smbhub::core
