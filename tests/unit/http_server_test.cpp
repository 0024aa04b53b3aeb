// The front door on its own, with a handler of the test's making: what stop() does to idle
// connections and to requests in progress, and that a handler's exception is a 500.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server/HttpServer.h"
#include "support/RawConnection.h"

namespace smbhub::server {
namespace {

using namespace std::chrono_literals;
using test::RawConnection;

Response errorBody(int status, const std::string& message) {
    Response r;
    r.status = status;
    r.set("Content-Type", "text/plain");
    r.body = message;
    return r;
}

class HttpServerTest : public ::testing::Test {
protected:
    void start(RequestHandler handler) {
        ServerOptions options;
        options.workerThreads = 4;
        server_ = std::make_unique<HttpServer>(options, std::move(handler), errorBody);
        port_ = server_->start();
    }

    std::unique_ptr<HttpServer> server_;
    int port_ = 0;
};

TEST_F(HttpServerTest, AnswersWhatTheHandlerReturns) {
    start([](const Request& r) {
        Response response;
        response.status = 201;
        response.set("X-Path", r.path);
        response.body = r.method + " " + r.query + " " + r.body;
        return response;
    });
    RawConnection c("127.0.0.1", port_);
    c.send("POST /a%20b?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
    const auto response = c.readResponse(5s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->header("X-Path"), "/a b");
    EXPECT_EQ(response->body, "POST x=1 abc");
}

TEST_F(HttpServerTest, AHandlersExceptionIsA500AndTheServerGoesOn) {
    start([](const Request& r) -> Response {
        if (r.path == "/throw") throw std::runtime_error("boom");
        return Response{};
    });
    RawConnection c("127.0.0.1", port_);
    c.send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto failed = c.readResponse(5s);
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->status, 500);
    EXPECT_TRUE(c.closedWithin(5s)) << "a 500 from an exception closes the connection";
    RawConnection again("127.0.0.1", port_);
    again.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto ok = again.readResponse(5s);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndFinishesRequestsInProgress) {
    std::atomic<bool> inHandler{false};
    start([&](const Request&) {
        inHandler = true;
        std::this_thread::sleep_for(700ms);
        Response r;
        r.body = "finished";
        return r;
    });
    RawConnection idle("127.0.0.1", port_);
    RawConnection busy("127.0.0.1", port_);
    busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    while (!inHandler) std::this_thread::sleep_for(5ms);
    std::thread stopper([&] { server_->stop(5s); });
    const auto response = busy.readResponse(5s);
    stopper.join();
    ASSERT_TRUE(response) << "a request in progress was dropped by stop()";
    EXPECT_EQ(response->body, "finished");
    EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(idle.closedWithin(2s));
    EXPECT_THROW(RawConnection("127.0.0.1", port_), std::runtime_error) << "still accepting after stop()";
}

TEST_F(HttpServerTest, StartFailsClearlyWhenTheAddressIsTaken) {
    start([](const Request&) { return Response{}; });
    ServerOptions options;
    options.port = port_;
    HttpServer second(options, [](const Request&) { return Response{}; }, errorBody);
    try {
        second.start();
        FAIL() << "a second server bound the same address";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace smbhub::server
