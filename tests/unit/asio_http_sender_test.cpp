// AsioHttpSender against a real local HTTPS server started by the test itself.
//
// A throw-away CA and a server certificate for "localhost", "hooks.zapier.com" and 127.0.0.1
// are made with the `openssl` tool in a temp dir; the server is a small Beast coroutine server
// on 127.0.0.1 (port 0) whose behaviour is chosen by the request path.
#include "delivery/HttpSender.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace smbhub::delivery {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// Certificates

class TestPki {
public:
    TestPki() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sender-test-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        run("openssl ecparam -name prime256v1 -genkey -noout -out ca.key");
        run("openssl req -x509 -new -key ca.key -sha256 -days 2 -subj '/CN=smb-hub test CA'"
            " -addext 'basicConstraints=critical,CA:TRUE'"
            " -addext 'keyUsage=critical,keyCertSign,cRLSign' -out ca.pem");
        run("openssl ecparam -name prime256v1 -genkey -noout -out server.key");
        run("openssl req -new -key server.key -subj '/CN=localhost' -out server.csr");
        std::ofstream(dir_ / "server.ext")
            << "subjectAltName=DNS:localhost,DNS:hooks.zapier.com,IP:127.0.0.1\n"
               "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
        run("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
            " -sha256 -extfile server.ext -out server.pem");
    }
    ~TestPki() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::string caFile() const { return dir_ / "ca.pem"; }
    std::string certFile() const { return dir_ / "server.pem"; }
    std::string keyFile() const { return dir_ / "server.key"; }

private:
    void run(const std::string& command) const {
        const std::string line = "cd '" + dir_.string() + "' && " + command + " 2>/dev/null";
        if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + command);
    }

    std::filesystem::path dir_;
};

// ---------------------------------------------------------------------------------------------
// Server. Paths answered with a Beast message (in one write):
//   /ok         200 "ok", echoes Host, X-SMB-Event and the body length in X-Echo-* headers
//   /4k         200 with a 4 KiB body
//   /big        200 with a 2 MiB body
//   /redirect   302 to /elsewhere
//   /close      200 with Connection: close
//   /drop-next  200, then closes the connection without answering its next request
//   /hang       never answers; the connection stays open until the client gives up
//   /stall      sends the header and 2 of 10 body bytes, then nothing
// Paths answered byte by byte, as receivers in the wild do (each string its own write and TLS
// record, kPause apart):
//   /split                   head, then the 11-byte body "hello world" (keep-alive)
//   /chunked                 "hello world" in two chunks, then the last chunk (keep-alive)
//   /close-delimited         no length: the body ends when the server closes, with close_notify
//   /close-delimited-abrupt  the same, closed without TLS close_notify
//   /interim                 100 Continue, 103 Early Hints, then 201 "created"
//   /body?bytes=N&framing=length|chunked   an N-byte body after a separate head; the server
//                            records how many body bytes it managed to write (bodyBytesWritten)
//   /early-401, /early-413   answered as soon as the head is read, the request body never read,
//                            then the connection is dropped (with the body unread: a reset)

constexpr auto kPause = 80ms;

enum class Ending { KeepAlive, CloseNotify, CloseAbruptly };

struct Script {
    std::vector<std::string> writes;
    Ending ending = Ending::KeepAlive;
};

std::string queryValue(const std::string& target, const std::string& name) {
    const auto query = target.find('?');
    if (query == std::string::npos) return {};
    std::size_t at = query + 1;
    while (at < target.size()) {
        const auto end = std::min(target.find('&', at), target.size());
        const std::string pair = target.substr(at, end - at);
        if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
        at = end + 1;
    }
    return {};
}

std::string pathOf(const std::string& target) { return target.substr(0, target.find('?')); }

std::string hexSize(std::size_t size) {
    char text[32];
    std::snprintf(text, sizeof text, "%zx", size);
    return text;
}

std::optional<Script> scriptFor(const std::string& path) {
    if (path == "/split") {
        return Script{{"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", "hello world"}};
    }
    if (path == "/chunked") {
        return Script{{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: chunked\r\n\r\n",
                       "5\r\nhello\r\n", "6\r\n world\r\n", "0\r\n\r\n"}};
    }
    if (path == "/close-delimited" || path == "/close-delimited-abrupt") {
        return Script{{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", "hello ", "world"},
                      path == "/close-delimited" ? Ending::CloseNotify : Ending::CloseAbruptly};
    }
    if (path == "/interim") {
        return Script{{"HTTP/1.1 100 Continue\r\n\r\n",
                       "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
                       "HTTP/1.1 201 Created\r\nContent-Length: 7\r\nX-Final: yes\r\n\r\n",
                       "created"}};
    }
    if (path == "/early-401") {
        return Script{{"HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                       "unauthorized"},
                      Ending::CloseAbruptly};
    }
    if (path == "/early-413") {
        return Script{{"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 9\r\nConnection: close"
                       "\r\n\r\ntoo large"},
                      Ending::CloseAbruptly};
    }
    return std::nullopt;
}

class TestServer {
public:
    explicit TestServer(ssl::context* tls)
        : tls_(tls), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
        asio::co_spawn(io_, acceptLoop(), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~TestServer() {
        io_.stop();
        thread_.join();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    int connections() const { return connections_; }
    int requests(const std::string& target) const {
        std::lock_guard lock(mutex_);
        auto it = requests_.find(target);
        return it == requests_.end() ? 0 : it->second;
    }
    // Body bytes of /body?… the server wrote before the connection ended (or it finished); -1
    // while it is still writing, or if it never answered.
    std::int64_t bodyBytesWritten(const std::string& target) const {
        std::lock_guard lock(mutex_);
        auto it = bodyWritten_.find(target);
        return it == bodyWritten_.end() ? -1 : it->second;
    }
    // The count once the server has recorded it: the client can hold the whole response before
    // the server's handler gets to write its tally down.
    std::int64_t bodyBytesWrittenOnceDone(const std::string& target) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (bodyBytesWritten(target) < 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return bodyBytesWritten(target);
    }

private:
    using Request = http::request<http::string_body>;
    using Response = http::response<http::string_body>;

    asio::awaitable<void> acceptLoop() {
        while (true) {
            auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
            ++connections_;
            asio::co_spawn(io_, session(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> session(tcp::socket socket) {
        try {
            if (tls_ == nullptr) {
                co_await serve(socket);
            } else {
                ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
                co_await stream.async_handshake(ssl::stream_base::server, asio::use_awaitable);
                co_await serve(stream);
            }
        } catch (const std::exception&) {
            // The client went away (timeout, stop, refused certificate): nothing to do.
        }
    }

    asio::awaitable<void> pause(std::chrono::milliseconds duration) {
        asio::steady_timer timer(io_, duration);
        co_await timer.async_wait(asio::use_awaitable);
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream) {
        beast::flat_buffer buffer;
        bool dropNext = false;
        while (true) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
            const std::string target(parser.get().target());
            const std::string path = pathOf(target);
            if (path.rfind("/early-", 0) == 0) {  // the request body is never read
                count(target);
                co_await play(stream, *scriptFor(path));
                co_return;
            }
            co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
            Request request = parser.release();
            count(target);
            if (dropNext) co_return;
            if (path == "/body") {
                if (!co_await answerBody(stream, target)) co_return;
                continue;
            }
            if (auto script = scriptFor(path)) {
                co_await play(stream, *script);
                if (script->ending != Ending::KeepAlive) co_return;
                continue;
            }
            if (target == "/stall") {
                const std::string partial = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab";
                co_await asio::async_write(stream, asio::buffer(partial), asio::use_awaitable);
            }
            if (target == "/hang" || target == "/stall") {
                co_await http::async_read(stream, buffer, request, asio::use_awaitable);
                co_return;
            }
            dropNext = target == "/drop-next";
            Response response = answer(request);
            co_await http::async_write(stream, response, asio::use_awaitable);
            if (!response.keep_alive()) co_return;
        }
    }

    // Each string its own write, kPause apart; then the connection ends as the script says.
    template <class Stream>
    asio::awaitable<void> play(Stream& stream, const Script& script) {
        for (std::size_t i = 0; i < script.writes.size(); ++i) {
            if (i > 0) co_await pause(kPause);
            co_await asio::async_write(stream, asio::buffer(script.writes[i]), asio::use_awaitable);
        }
        if (script.ending == Ending::KeepAlive) co_return;
        co_await pause(kPause);
        if (script.ending == Ending::CloseNotify) co_await closeNotify(stream);
        beast::get_lowest_layer(stream).close();
    }

    asio::awaitable<void> closeNotify(tcp::socket& socket) {
        socket.shutdown(tcp::socket::shutdown_send);
        co_return;
    }
    asio::awaitable<void> closeNotify(ssl::stream<tcp::socket>& stream) {
        // Sends close_notify; the client's own close_notify (or its close) ends the wait.
        try {
            co_await stream.async_shutdown(asio::use_awaitable);
        } catch (const std::exception&) {
        }
    }

    // /body?bytes=N&framing=length|chunked: the head, a pause, then the body in 64 KiB writes
    // (each a chunk when chunked). False when the connection broke (the client stopped reading).
    template <class Stream>
    asio::awaitable<bool> answerBody(Stream& stream, const std::string& target) {
        const auto total = static_cast<std::size_t>(std::stoull(queryValue(target, "bytes")));
        const bool chunked = queryValue(target, "framing") == "chunked";
        const std::string head =
            chunked ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n";
        std::size_t written = 0;
        bool intact = true;
        try {
            co_await asio::async_write(stream, asio::buffer(head), asio::use_awaitable);
            co_await pause(kPause);
            while (written < total) {
                const std::size_t size = std::min<std::size_t>(64 * 1024, total - written);
                std::string piece(size, 'a');
                for (std::size_t i = 0; i < size; ++i) {
                    piece[i] = static_cast<char>('a' + (written + i) % 26);
                }
                if (chunked) piece = hexSize(size) + "\r\n" + piece + "\r\n";
                co_await asio::async_write(stream, asio::buffer(piece), asio::use_awaitable);
                written += size;
            }
            if (chunked) {
                co_await asio::async_write(stream, asio::buffer(std::string("0\r\n\r\n")),
                                           asio::use_awaitable);
            }
        } catch (const std::exception&) {
            intact = false;
        }
        std::lock_guard lock(mutex_);
        bodyWritten_[target] = static_cast<std::int64_t>(written);
        co_return intact;
    }

    static Response answer(const Request& request) {
        Response response{http::status::ok, 11};
        const auto target = request.target();
        if (target == "/4k") {
            response.body() = std::string(4096, 'k');
        } else if (target == "/big") {
            response.body() = std::string(2 * 1024 * 1024, 'b');
        } else if (target == "/redirect") {
            response.result(http::status::found);
            response.set(http::field::location, "/elsewhere");
            response.body() = "moved";
        } else {
            response.set("X-Echo-Host", request[http::field::host]);
            response.set("X-Echo-Event", request["X-SMB-Event"]);
            response.set("X-Echo-Length", std::to_string(request.body().size()));
            response.body() = "ok";
        }
        response.keep_alive(target != "/close" && request.keep_alive());
        response.prepare_payload();
        return response;
    }

    void count(const std::string& target) {
        std::lock_guard lock(mutex_);
        ++requests_[target];
    }

    ssl::context* tls_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::map<std::string, int> requests_;
    std::map<std::string, std::int64_t> bodyWritten_;
};

// ---------------------------------------------------------------------------------------------
// Fixture

class AsioHttpSenderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        pki_ = new TestPki();
        serverTls_ = new ssl::context(ssl::context::tls_server);
        serverTls_->use_certificate_chain_file(pki_->certFile());
        serverTls_->use_private_key_file(pki_->keyFile(), ssl::context::pem);
    }
    static void TearDownTestSuite() {
        delete serverTls_;
        delete pki_;
    }

    // Trusts the test CA and allows loopback, as a development configuration would.
    static HttpSenderOptions localOptions() {
        HttpSenderOptions options;
        options.caFile = pki_->caFile();
        options.allowPrivateNetworks = true;
        return options;
    }

    static HttpRequest post(const std::string& host, std::uint16_t port, const std::string& target,
                            std::chrono::milliseconds timeout = 5000ms) {
        HttpRequest request;
        request.host = host;
        request.port = port;
        request.target = target;
        request.timeout = timeout;
        request.headers = {{"Content-Type", "application/json"}, {"X-SMB-Event", "lead.created"}};
        request.body = R"({"hello":"world"})";
        return request;
    }

    static HttpResponse sendAndWait(HttpSender& sender, HttpRequest request) {
        auto promise = std::make_shared<std::promise<HttpResponse>>();
        auto future = promise->get_future();
        sender.send(std::move(request),
                    [promise](HttpResponse response) { promise->set_value(std::move(response)); });
        if (future.wait_for(15s) != std::future_status::ready) {
            ADD_FAILURE() << "no completion within 15 s";
            return {};
        }
        return future.get();
    }

    static std::string header(const HttpResponse& response, const std::string& name) {
        for (const auto& [key, value] : response.headers) {
            if (beast::iequals(key, name)) return value;
        }
        return {};
    }

    static TestPki* pki_;
    static ssl::context* serverTls_;
};

TestPki* AsioHttpSenderTest::pki_ = nullptr;
ssl::context* AsioHttpSenderTest::serverTls_ = nullptr;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

constexpr const char* kTooLarge = "response body larger than 1 MiB (not read further)";

// The body /body?bytes=N sends: the alphabet over and over.
std::string patternBody(std::size_t size) {
    std::string body(size, 'a');
    for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 26);
    return body;
}

// ---------------------------------------------------------------------------------------------
// Tests

TEST_F(AsioHttpSenderTest, DeliversAndReturnsStatusHeadersAndBodyPrefix) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());

    // "localhost" goes through the real DNS path (getaddrinfo).
    const auto ok = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    EXPECT_EQ(ok.error, "");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.bodyPrefix, "ok");
    EXPECT_EQ(header(ok, "X-Echo-Host"), "localhost:" + std::to_string(server.port()));
    EXPECT_EQ(header(ok, "X-Echo-Event"), "lead.created");
    EXPECT_EQ(header(ok, "X-Echo-Length"), "17");

    const auto large = sendAndWait(*sender, post("localhost", server.port(), "/4k"));
    EXPECT_EQ(large.status, 200);
    EXPECT_EQ(large.bodyPrefix, std::string(1024, 'k'));
}

TEST_F(AsioHttpSenderTest, KeepsConnectionsAliveAndHonoursConnectionClose) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(sendAndWait(*sender, post("127.0.0.1", server.port(), "/ok")).status, 200);
    }
    EXPECT_EQ(server.connections(), 1);

    // The first /close still reuses the kept-alive connection; the server then closes it.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(sendAndWait(*sender, post("127.0.0.1", server.port(), "/close")).status, 200);
    }
    EXPECT_EQ(server.connections(), 3);
}

TEST_F(AsioHttpSenderTest, RetriesOnceWhenAReusedConnectionWasClosed) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/drop-next")).status, 200);
    const auto retried = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    EXPECT_EQ(retried.error, "");
    EXPECT_EQ(retried.status, 200);
    EXPECT_EQ(server.connections(), 2);
    EXPECT_EQ(server.requests("/ok"), 2);  // dropped once, then answered on a fresh connection
}

TEST_F(AsioHttpSenderTest, ResolveOverrideStillVerifiesTheOriginalHostName) {
    TestServer server(serverTls_);
    auto options = localOptions();
    const std::string address = "127.0.0.1:" + std::to_string(server.port());
    options.resolve = {{"hooks.zapier.com", address}, {"evil.example.com", address}};
    auto sender = makeAsioHttpSender(options);

    const auto good = sendAndWait(*sender, post("hooks.zapier.com", 443, "/ok"));
    EXPECT_EQ(good.error, "");
    EXPECT_EQ(good.status, 200);
    EXPECT_EQ(header(good, "X-Echo-Host"), "hooks.zapier.com");

    const auto bad = sendAndWait(*sender, post("evil.example.com", 443, "/ok"));
    EXPECT_EQ(bad.status, 0);
    EXPECT_EQ(bad.error,
              "TLS handshake failed: certificate verify failed (certificate is not valid for "
              "evil.example.com)");
}

TEST_F(AsioHttpSenderTest, RefusesAnUntrustedCertificate) {
    TestServer server(serverTls_);
    auto options = localOptions();
    options.caFile.clear();
    auto sender = makeAsioHttpSender(options);
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    EXPECT_EQ(response.status, 0);
    EXPECT_TRUE(contains(response.error, "TLS handshake failed: certificate verify failed ("))
        << response.error;
    EXPECT_EQ(server.requests("/ok"), 0);
}

TEST_F(AsioHttpSenderTest, TimesOutAHangingReceiver) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/hang", 300ms));
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(response.error, "timed out after 300 ms");
    EXPECT_GE(response.duration.count(), 300);
    EXPECT_LT(response.duration.count(), 2000);
}

TEST_F(AsioHttpSenderTest, TimeoutAfterTheHeaderKeepsTheStatus) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/stall", 300ms));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.bodyPrefix, "ab");
    EXPECT_EQ(response.error, "timed out after 300 ms");
}

TEST_F(AsioHttpSenderTest, HangingRequestsDoNotDelayOthersAndStopCompletesThem) {
    TestServer server(serverTls_);
    auto options = localOptions();
    options.ioThreads = 2;
    auto sender = makeAsioHttpSender(options);
    constexpr int kHanging = 200;
    auto calls = std::make_shared<std::vector<std::atomic<int>>>(kHanging);
    std::vector<std::string> errors(kHanging);
    for (int i = 0; i < kHanging; ++i) {
        sender->send(post("localhost", server.port(), "/hang", 10s),
                     [calls, i, &errors](HttpResponse response) {
                         errors[static_cast<std::size_t>(i)] = response.error;
                         ++(*calls)[static_cast<std::size_t>(i)];
                     });
    }
    const auto started = std::chrono::steady_clock::now();
    const auto fast = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(fast.status, 200);
    EXPECT_LT(waited, 3s);

    sender->stop();
    for (int i = 0; i < kHanging; ++i) {
        const auto index = static_cast<std::size_t>(i);
        EXPECT_EQ((*calls)[index], 1) << i;
        EXPECT_FALSE(errors[index].empty()) << i;
    }
    // After stop, a request is answered at once, still exactly once.
    int late = 0;
    sender->send(post("localhost", server.port(), "/ok"), [&](HttpResponse response) {
        ++late;
        EXPECT_EQ(response.error, "sender stopped");
    });
    EXPECT_EQ(late, 1);
}

TEST_F(AsioHttpSenderTest, RefusesPrivateAddressesUnlessAllowed) {
    TestServer server(serverTls_);
    auto options = localOptions();
    options.allowPrivateNetworks = false;
    options.resolve = {{"hooks.zapier.com", "127.0.0.1:" + std::to_string(server.port())}};
    auto sender = makeAsioHttpSender(options);

    const auto viaDns = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    EXPECT_TRUE(contains(viaDns.error, "is not allowed (private network)")) << viaDns.error;
    const auto viaOverride = sendAndWait(*sender, post("hooks.zapier.com", 443, "/ok"));
    EXPECT_EQ(viaOverride.error, "destination address 127.0.0.1 is not allowed (private network)");
    const auto literal = sendAndWait(*sender, post("169.254.169.254", 443, "/latest"));
    EXPECT_EQ(literal.error,
              "destination address 169.254.169.254 is not allowed (private network)");
    EXPECT_EQ(server.connections(), 0);
}

TEST_F(AsioHttpSenderTest, PlainHttpOnlyWhenAllowed) {
    TestServer server(nullptr);
    auto request = post("127.0.0.1", server.port(), "/ok");
    request.scheme = "http";

    auto strict = makeAsioHttpSender(localOptions());
    const auto refused = sendAndWait(*strict, request);
    EXPECT_EQ(refused.error, "plain http is not allowed; the target URL must use https");
    EXPECT_EQ(server.connections(), 0);

    auto options = localOptions();
    options.allowHttp = true;
    auto lenient = makeAsioHttpSender(options);
    const auto ok = sendAndWait(*lenient, request);
    EXPECT_EQ(ok.error, "");
    EXPECT_EQ(ok.status, 200);
}

TEST_F(AsioHttpSenderTest, ReturnsRedirectsWithoutFollowingThem) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/redirect"));
    EXPECT_EQ(response.error, "");
    EXPECT_EQ(response.status, 302);
    EXPECT_EQ(header(response, "Location"), "/elsewhere");
    EXPECT_EQ(response.bodyPrefix, "moved");
    EXPECT_EQ(server.requests("/elsewhere"), 0);
}

TEST_F(AsioHttpSenderTest, OversizedBodyIsAnErrorButKeepsTheStatus) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/big"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.error, kTooLarge);
    EXPECT_EQ(response.bodyPrefix, std::string(1024, 'b'));
}

// ---- Responses written the way real receivers write them ---------------------------------------

// The head arrives alone, the body a moment later (Python's http.server, many frameworks).
TEST_F(AsioHttpSenderTest, HeadAndBodyInSeparateWritesAreReadWhole) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/split"));
    EXPECT_EQ(response.error, "");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.bodyPrefix, "hello world");
    EXPECT_EQ(header(response, "Content-Length"), "11");
    // The server paused between head and body: the duration covers the whole exchange.
    EXPECT_GE(response.duration, kPause);
    EXPECT_LT(response.duration, 10s);

    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 1) << "a complete keep-alive response leaves a reusable connection";
}

TEST_F(AsioHttpSenderTest, ChunkedResponseIsReadWhole) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/chunked"));
    EXPECT_EQ(response.error, "");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.bodyPrefix, "hello world");
    EXPECT_EQ(header(response, "X-Kind"), "chunked");
    EXPECT_GE(response.duration, 3 * kPause);

    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 1);
}

// No Content-Length, no chunks: the body ends when the server closes. Many servers close a TLS
// connection without close_notify; the response is still whole.
TEST_F(AsioHttpSenderTest, CloseDelimitedBodyEndsWithTheConnection) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    for (const std::string path : {"/close-delimited", "/close-delimited-abrupt"}) {
        SCOPED_TRACE(path);
        const auto response = sendAndWait(*sender, post("localhost", server.port(), path));
        EXPECT_EQ(response.error, "");
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.bodyPrefix, "hello world");
    }
    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 3) << "a closed connection is never reused";

    TestServer plain(nullptr);
    auto options = localOptions();
    options.allowHttp = true;
    auto lenient = makeAsioHttpSender(options);
    auto request = post("127.0.0.1", plain.port(), "/close-delimited-abrupt");
    request.scheme = "http";
    const auto response = sendAndWait(*lenient, request);
    EXPECT_EQ(response.error, "");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.bodyPrefix, "hello world");
}

TEST_F(AsioHttpSenderTest, InterimResponsesComeBeforeTheFinalOne) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/interim"));
    EXPECT_EQ(response.error, "");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.bodyPrefix, "created");
    EXPECT_EQ(header(response, "X-Final"), "yes");
    EXPECT_EQ(header(response, "Link"), "") << "headers of a 103 are not the response's";
    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 1);
}

// A receiver may refuse a request from its head alone (401, 413) and drop the connection with
// the body unread; its answer is what the log must show, not the broken write.
TEST_F(AsioHttpSenderTest, AnAnswerBeforeTheRequestBodyWasReadIsKept) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const auto unauthorized = sendAndWait(*sender, post("localhost", server.port(), "/early-401"));
    EXPECT_EQ(unauthorized.error, "");
    EXPECT_EQ(unauthorized.status, 401);
    EXPECT_EQ(unauthorized.bodyPrefix, "unauthorized");

    // Far more than the socket buffers hold: the write cannot finish before the answer comes.
    auto large = post("localhost", server.port(), "/early-413");
    large.body = std::string(16 * 1024 * 1024, 'x');
    const auto tooLarge = sendAndWait(*sender, std::move(large));
    EXPECT_EQ(tooLarge.error, "");
    EXPECT_EQ(tooLarge.status, 413);
    EXPECT_EQ(tooLarge.bodyPrefix, "too large");
    EXPECT_EQ(server.requests("/early-413"), 1) << "an answered request is not sent again";

    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 3) << "a connection with half a request on it is not reused";
}

// Bodies at and around both limits, with a Content-Length and chunked. The head always arrives
// alone (the server pauses before the body).
class BodyLimitTest : public AsioHttpSenderTest, public ::testing::WithParamInterface<const char*> {
protected:
    std::string target(std::size_t bytes) const {
        return "/body?bytes=" + std::to_string(bytes) + "&framing=" + GetParam();
    }
};

TEST_P(BodyLimitTest, UpToOneMebibyteIsReadWholeAndTheFirstKibibyteKept) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    for (const std::size_t bytes : {std::size_t{11}, std::size_t{1024}, std::size_t{1025},
                                    std::size_t{1024 * 1024}}) {
        SCOPED_TRACE(target(bytes));
        const auto response = sendAndWait(*sender, post("localhost", server.port(), target(bytes)));
        EXPECT_EQ(response.error, "");
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(response.bodyPrefix, patternBody(std::min<std::size_t>(bytes, 1024)));
        EXPECT_EQ(server.bodyBytesWrittenOnceDone(target(bytes)), static_cast<std::int64_t>(bytes));
    }
    EXPECT_EQ(server.connections(), 1) << "every complete response left the connection reusable";
}

TEST_P(BodyLimitTest, OverOneMebibyteIsReadNoFurtherAndTheConnectionIsDropped) {
    TestServer server(serverTls_);
    auto sender = makeAsioHttpSender(localOptions());
    const std::size_t justOver = 1024 * 1024 + 1;
    const auto over = sendAndWait(*sender, post("localhost", server.port(), target(justOver)));
    EXPECT_EQ(over.status, 200);
    EXPECT_EQ(over.error, kTooLarge);
    EXPECT_EQ(over.bodyPrefix, patternBody(1024));
    EXPECT_EQ(sendAndWait(*sender, post("localhost", server.port(), "/ok")).status, 200);
    EXPECT_EQ(server.connections(), 2) << "the connection with an unread body was not reused";

    // 64 MiB offered: the sender stops reading, so the server cannot write it all (what the
    // socket buffers on both sides hold is a few MiB at most).
    const std::size_t huge = 64 * 1024 * 1024;
    const auto cut = sendAndWait(*sender, post("localhost", server.port(), target(huge)));
    EXPECT_EQ(cut.status, 200);
    EXPECT_EQ(cut.error, kTooLarge);
    EXPECT_EQ(cut.bodyPrefix, patternBody(1024));
    EXPECT_GE(server.bodyBytesWrittenOnceDone(target(huge)), 0) << "the server was still writing";
    EXPECT_LT(server.bodyBytesWritten(target(huge)), static_cast<std::int64_t>(huge) / 4);
}

INSTANTIATE_TEST_SUITE_P(Framings, BodyLimitTest, ::testing::Values("length", "chunked"),
                         [](const auto& info) { return std::string(info.param); });

TEST_F(AsioHttpSenderTest, ReportsRefusedConnections) {
    std::uint16_t closedPort = 0;
    {
        asio::io_context io;
        tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        closedPort = probe.local_endpoint().port();
    }
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("127.0.0.1", closedPort, "/ok"));
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(response.error, "connection refused");
}

TEST_F(AsioHttpSenderTest, ReportsATlsHandshakeWithAPlainHttpServer) {
    TestServer server(nullptr);
    auto sender = makeAsioHttpSender(localOptions());
    const auto response = sendAndWait(*sender, post("localhost", server.port(), "/ok"));
    EXPECT_EQ(response.status, 0);
    EXPECT_EQ(response.error.rfind("TLS handshake failed: ", 0), 0u) << response.error;
}

TEST_F(AsioHttpSenderTest, RefusesHeaderInjection) {
    auto sender = makeAsioHttpSender(localOptions());
    auto request = post("localhost", 443, "/ok");
    request.headers.emplace_back("X-Evil", "a\r\nInjected: yes");
    EXPECT_EQ(sendAndWait(*sender, request).error, "invalid request header \"X-Evil\"");
}

TEST_F(AsioHttpSenderTest, RefusesAMalformedResolveEntry) {
    HttpSenderOptions options;
    options.resolve = {{"hooks.zapier.com", "not-an-address"}};
    EXPECT_THROW(makeAsioHttpSender(options), std::invalid_argument);
}

}  // namespace
}  // namespace smbhub::delivery
