// The PostgreSQL connection pool: a fixed number of connections, lent one borrower at a time,
// waited for when all are lent, and opened again after the server dropped them.
#include <gtest/gtest.h>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Statement.h>

#include <chrono>
#include <thread>

#include "store/ConnectionPool.h"
#include "support/Postgres.h"

namespace smbhub::store {
namespace {

using namespace std::chrono_literals;

class ConnectionPoolTest : public ::testing::Test {
protected:
    void SetUp() override { Poco::Data::PostgreSQL::Connector::registerConnector(); }

    std::unique_ptr<ConnectionPool> pool(int size, std::chrono::milliseconds wait) const {
        return std::make_unique<ConnectionPool>("postgresql", database_.server().conninfo(database_.name()), size,
                                                wait);
    }
    static int backendPid(Poco::Data::Session& session) {
        int pid = 0;
        session << "SELECT pg_backend_pid()", Poco::Data::Keywords::into(pid), Poco::Data::Keywords::now;
        return pid;
    }

    test::ScratchDatabase database_;
};

TEST_F(ConnectionPoolTest, ReusesConnectionsAndWaitsWhenAllAreLent) {
    const auto pool2 = pool(2, 200ms);
    ConnectionPool& p = *pool2;
    int first = 0;
    {
        auto a = p.borrow();
        first = backendPid(a->session());
    }
    auto a = p.borrow();
    EXPECT_EQ(backendPid(a->session()), first) << "a returned connection is lent again, not reopened";
    auto b = p.borrow();
    const int second = backendPid(b->session());
    EXPECT_NE(second, first);

    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(p.borrow(), Poco::Data::SessionPoolExhaustedException);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms) << "it waits before giving up";

    // A borrower waiting when a connection comes back gets that very connection (the same
    // server process), not a new one.
    std::thread giveBack([&] {
        std::this_thread::sleep_for(50ms);
        b.reset();
    });
    int waitedFor = 0;
    try {
        auto c = p.borrow();
        waitedFor = backendPid(c->session());
    } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "the waiting borrower got nothing: " << e.displayText();
    }
    giveBack.join();
    EXPECT_EQ(waitedFor, second);
}

// A size-1 pool whose server refuses: every borrow reports the refusal, none "pool exhausted"
// (a failed opening must give its place back).
TEST_F(ConnectionPoolTest, AConnectionThatCannotOpenFreesItsPlace) {
    ConnectionPool broken("postgresql", "host=127.0.0.1 port=1 user=postgres dbname=x connect_timeout=2", 1, 100ms);
    for (int i = 0; i < 3; ++i) {
        try {
            broken.borrow();
            FAIL() << "a connection to port 1 opened";
        } catch (const Poco::Data::SessionPoolExhaustedException&) {
            FAIL() << "borrow " << i << ": the failed opening kept its place in the pool";
        } catch (const Poco::Exception& e) {
            EXPECT_NE(e.displayText().find("Connection"), std::string::npos) << e.displayText();
        }
    }
}

}  // namespace
}  // namespace smbhub::store
