#include "server/RequestFraming.h"

#include <strings.h>

#include <string_view>

namespace smbhub::server {
namespace {

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

FramingVerdict refuse(int status, std::string message) {
    FramingVerdict v;
    v.status = status;
    v.message = std::move(message);
    return v;
}

// 1*DIGIT, at most 19 digits (fits in 64 bits); anything else is not a length.
bool parseLength(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text.size() > 19) return false;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    out = value;
    return true;
}

}  // namespace

FramingVerdict checkFraming(int versionMinor, const std::vector<Header>& headers,
                            std::uint64_t maxBodyBytes) {
    int hosts = 0;
    int lengths = 0;
    int encodings = 0;
    std::string_view lengthText;
    std::string_view encoding;
    bool expectContinue = false;
    for (const Header& h : headers) {
        if (sameName(h.name, "host")) {
            ++hosts;
        } else if (sameName(h.name, "content-length")) {
            ++lengths;
            lengthText = trim(h.value);
        } else if (sameName(h.name, "transfer-encoding")) {
            ++encodings;
            encoding = trim(h.value);
        } else if (sameName(h.name, "expect")) {
            expectContinue = sameName(trim(h.value), "100-continue");
        }
    }
    if (versionMinor == 1 && hosts != 1) {
        return refuse(400, hosts == 0 ? "an HTTP/1.1 request needs a Host header"
                                      : "more than one Host header");
    }
    if (encodings > 0 && lengths > 0) {
        return refuse(400, "Content-Length and Transfer-Encoding together make the body length ambiguous");
    }
    FramingVerdict verdict;
    verdict.expectContinue = expectContinue;
    if (lengths > 1) return refuse(400, "more than one Content-Length header");
    if (lengths == 1) {
        if (!parseLength(lengthText, verdict.contentLength)) {
            return refuse(400, "Content-Length must be a whole number of bytes");
        }
        if (verdict.contentLength > maxBodyBytes) {
            return refuse(413, "request body is larger than " + std::to_string(maxBodyBytes) + " bytes");
        }
        verdict.framing = verdict.contentLength > 0 ? BodyFraming::Length : BodyFraming::None;
        return verdict;
    }
    if (encodings > 0) {
        if (versionMinor != 1) return refuse(400, "Transfer-Encoding needs HTTP/1.1");
        if (encodings > 1 || !sameName(encoding, "chunked")) {
            return refuse(400, "Transfer-Encoding must be exactly \"chunked\"");
        }
        verdict.framing = BodyFraming::Chunked;
    }
    return verdict;
}

}  // namespace smbhub::server
