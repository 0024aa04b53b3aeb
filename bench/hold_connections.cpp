// hold_connections: opens N TCP connections to HOST:PORT and holds them, as idle or slowloris
// clients would, until it is signalled (SIGTERM/SIGINT). For bench/front-door.sh, not a test.
//   hold_connections HOST PORT N [idle|trickle] [SECONDS_BETWEEN_BYTES]
// Prints "holding N" once all are connected (connections the server refuses are counted and
// reported); in trickle mode each connection sends one byte of a never-ending request head
// every SECONDS_BETWEEN_BYTES (default 2).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

std::atomic<bool> stopping{false};

void onSignal(int) { stopping = true; }

int connectTo(const sockaddr_in& address) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: hold_connections HOST PORT N [idle|trickle] [SECONDS]\n");
        return 64;
    }
    const std::string mode = argc > 4 ? argv[4] : "idle";
    const int every = argc > 5 ? std::atoi(argv[5]) : 2;
    const int count = std::atoi(argv[3]);
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    std::signal(SIGPIPE, SIG_IGN);

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[2])));
    if (::inet_pton(AF_INET, argv[1], &address.sin_addr) != 1) return 64;
    std::vector<int> fds;
    int failed = 0;
    for (int i = 0; i < count; ++i) {
        const int fd = connectTo(address);
        if (fd < 0) ++failed;
        else fds.push_back(fd);
    }
    const std::string head = "GET /api/integrations HTTP/1.1\r\nHost: bench\r\nX-Slow: ";
    if (mode == "trickle") {
        for (int fd : fds) ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    }
    std::printf("holding %zu (%d refused)\n", fds.size(), failed);
    std::fflush(stdout);
    auto next = std::chrono::steady_clock::now();
    while (!stopping) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (mode != "trickle" || std::chrono::steady_clock::now() < next) continue;
        next += std::chrono::seconds(every);
        for (int fd : fds) ::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    int closedByServer = 0;
    for (int fd : fds) {
        pollfd entry{fd, POLLIN, 0};
        char byte;
        if (::poll(&entry, 1, 0) == 1 && ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0) ++closedByServer;
        ::close(fd);
    }
    std::printf("closed by the server meanwhile: %d\n", closedByServer);
    return 0;
}
