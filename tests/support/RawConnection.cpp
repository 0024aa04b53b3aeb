#include "support/RawConnection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace smbhub::test {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Parses one response from the front of `data`; nullopt when it is not complete yet. With
// `ended`, a response without Content-Length ends at the end of the data.
std::optional<std::pair<RawResponse, std::size_t>> parseResponse(const std::string& data, bool ended) {
    const auto headEnd = data.find("\r\n\r\n");
    if (headEnd == std::string::npos) return std::nullopt;
    RawResponse response;
    const std::string head = data.substr(0, headEnd);
    std::size_t lineEnd = head.find("\r\n");
    const std::string statusLine = head.substr(0, lineEnd);
    if (statusLine.rfind("HTTP/1.", 0) != 0 || statusLine.size() < 12) {
        throw std::runtime_error("not an HTTP response: " + statusLine.substr(0, 80));
    }
    response.status = std::stoi(statusLine.substr(9, 3));
    long long length = -1;
    while (lineEnd != std::string::npos) {
        const std::size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        const std::string line = head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        response.headers.emplace_back(line.substr(0, colon), value);
        if (lower(line.substr(0, colon)) == "content-length") length = std::stoll(value);
    }
    const std::size_t bodyStart = headEnd + 4;
    const bool noBody = response.status == 204 || response.status == 304 || (response.status >= 100 && response.status < 200);
    if (noBody) return std::make_pair(response, bodyStart);
    if (length >= 0) {
        if (data.size() < bodyStart + static_cast<std::size_t>(length)) return std::nullopt;
        response.body = data.substr(bodyStart, static_cast<std::size_t>(length));
        return std::make_pair(response, bodyStart + static_cast<std::size_t>(length));
    }
    if (!ended) return std::nullopt;
    response.body = data.substr(bodyStart);
    return std::make_pair(response, data.size());
}

}  // namespace

std::string RawResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (lower(key) == lower(name)) return value;
    }
    return "";
}

RawConnection::RawConnection(const std::string& host, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        ::close(fd_);
        throw std::runtime_error("not an IPv4 address: " + host);
    }
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " + why);
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() { close(); }

void RawConnection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

bool RawConnection::fill(Clock::time_point until) {
    if (ended_ || fd_ < 0) return false;
    pollfd entry{fd_, POLLIN, 0};
    const int ready = ::poll(&entry, 1, remainingMs(until));
    if (ready <= 0) return true;
    char chunk[16384];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(got));
        return true;
    }
    if (got < 0 && errno == EINTR) return true;
    ended_ = true;  // EOF or reset
    return false;
}

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (true) {
        if (auto parsed = parseResponse(buffer_, ended_)) {
            buffer_.erase(0, parsed->second);
            return parsed->first;
        }
        if (ended_ || Clock::now() >= until) return std::nullopt;
        fill(until);
    }
}

bool RawConnection::closedWithin(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (!ended_ && Clock::now() < until) fill(until);
    return ended_;
}

std::string RawConnection::readFor(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (!ended_ && Clock::now() < until) fill(until);
    std::string out;
    out.swap(buffer_);
    return out;
}

}  // namespace smbhub::test
