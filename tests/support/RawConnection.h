// A TCP connection to the hub that sends exactly the bytes a test gives it and reads exactly
// what comes back: for tests of HTTP framing, pipelining, deadlines and starvation that a
// well-behaved client library cannot express. Not thread-safe (one owner).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smbhub::test {

struct RawResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // The first value of `name` (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

class RawConnection {
public:
    // Connects at once; throws std::runtime_error when it cannot.
    RawConnection(const std::string& host, int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Writes all of `bytes`; false when the peer has closed or reset the connection.
    bool send(std::string_view bytes);
    // The next complete response (head, then a Content-Length or close-delimited body), waiting
    // up to `timeout`; nullopt when none arrives complete in time or the connection ends first.
    std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout);
    // True when the server ends the connection (EOF or reset) within `timeout`; bytes that
    // arrive meanwhile are kept for readResponse.
    bool closedWithin(std::chrono::milliseconds timeout);
    // Whatever bytes arrive within `timeout` (returns early when the connection ends).
    std::string readFor(std::chrono::milliseconds timeout);
    void close();

private:
    // Reads what is available within `until`; false once the connection has ended.
    bool fill(std::chrono::steady_clock::time_point until);

    int fd_ = -1;
    bool ended_ = false;
    std::string buffer_;
};

}  // namespace smbhub::test
