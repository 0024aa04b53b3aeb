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
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
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
// Server. Paths:
//   /ok         200 "ok", echoes Host, X-SMB-Event and the body length in X-Echo-* headers
//   /4k         200 with a 4 KiB body
//   /big        200 with a 2 MiB body
//   /redirect   302 to /elsewhere
//   /close      200 with Connection: close
//   /drop-next  200, then closes the connection without answering its next request
//   /hang       never answers; the connection stays open until the client gives up
//   /stall      sends the header and 2 of 10 body bytes, then nothing

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

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream) {
        beast::flat_buffer buffer;
        bool dropNext = false;
        while (true) {
            Request request;
            co_await http::async_read(stream, buffer, request, asio::use_awaitable);
            count(std::string(request.target()));
            if (dropNext) co_return;
            if (request.target() == "/stall") {
                const std::string partial = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab";
                co_await asio::async_write(stream, asio::buffer(partial), asio::use_awaitable);
            }
            if (request.target() == "/hang" || request.target() == "/stall") {
                co_await http::async_read(stream, buffer, request, asio::use_awaitable);
                co_return;
            }
            dropNext = request.target() == "/drop-next";
            Response response = answer(request);
            co_await http::async_write(stream, response, asio::use_awaitable);
            if (!response.keep_alive()) co_return;
        }
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
    EXPECT_GE(large.duration.count(), 0);
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
    EXPECT_EQ(response.error, "response body larger than 1 MiB");
    EXPECT_EQ(response.bodyPrefix, std::string(1024, 'b'));

}

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
