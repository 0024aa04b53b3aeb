// database.url for PostgreSQL → the libpq string Poco::Data PostgreSQL takes.
#include <gtest/gtest.h>

#include "core/DatabaseUrl.h"

namespace smbhub::core {
namespace {

// What the hub adds unless the URL says otherwise: quick connects, dead peers noticed.
const std::string kDefaults =
    " connect_timeout=5 keepalives_idle=30 keepalives_interval=10 keepalives_count=3 tcp_user_timeout=30000";

TEST(PostgresUrl, BecomesALibpqString) {
    EXPECT_EQ(libpqConnectionString("postgresql://hub:secret@db.internal:5433/hubdb"),
              "host=db.internal port=5433 dbname=hubdb user=hub password=secret" + kDefaults);
    EXPECT_EQ(libpqConnectionString("postgres://127.0.0.1/hub"), "host=127.0.0.1 port=5432 dbname=hub" + kDefaults);
}

TEST(PostgresUrl, DecodesAndEscapesUserInfo) {
    // %3A, %40 and %2F inside the password belong to it; ' and \ are escaped for libpq.
    EXPECT_EQ(libpqConnectionString("postgresql://us%40er:p%3Aa%40s%2Fs'w%5Cd@db/hub"),
              "host=db port=5432 dbname=hub user=us@er password=p:a@s/s\\'w\\\\d" + kDefaults);
}

TEST(PostgresUrl, ConnectTimeoutFollowsTheDatabaseTimeout) {
    EXPECT_EQ(libpqConnectionString("postgres://127.0.0.1/hub", 8),
              "host=127.0.0.1 port=5432 dbname=hub connect_timeout=8 keepalives_idle=30 keepalives_interval=10"
              " keepalives_count=3 tcp_user_timeout=30000");
    EXPECT_NE(libpqConnectionString("postgres://127.0.0.1/hub", 1).find("connect_timeout=2 "), std::string::npos)
        << "libpq's minimum";
}

TEST(PostgresUrl, PassesQueryParametersOn) {
    EXPECT_EQ(libpqConnectionString("postgresql://hub@db/hub?sslmode=require&connect_timeout=2&keepalives_idle=5"),
              "host=db port=5432 dbname=hub user=hub sslmode=require connect_timeout=2 keepalives_idle=5"
              " keepalives_interval=10 keepalives_count=3 tcp_user_timeout=30000");
}

TEST(PostgresUrl, RefusesWhatItCannotPassOn) {
    EXPECT_THROW(libpqConnectionString("postgresql://hub@db"), std::invalid_argument);            // no database
    EXPECT_THROW(libpqConnectionString("postgresql://hub@db/a/b"), std::invalid_argument);        // two
    EXPECT_THROW(libpqConnectionString("postgresql:///hub"), std::invalid_argument);              // no host
    EXPECT_THROW(libpqConnectionString("postgresql://db/hub?password=x"), std::invalid_argument); // in the URL itself
    EXPECT_THROW(libpqConnectionString("postgresql://db/hub?bad-key=x"), std::invalid_argument);
    EXPECT_THROW(libpqConnectionString("mysql://db/hub"), std::invalid_argument);
    try {
        libpqConnectionString("postgresql://hub:two%20words@db/hub");
        FAIL() << "a password with a space was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("PGPASSWORD"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("two words"), std::string::npos) << "the password is never echoed";
    }
    EXPECT_THROW(libpqConnectionString("postgresql://db/hub?sslmode=requi%"), std::invalid_argument);
    // A broken escape is a configuration error like the others, and quotes nothing of the password.
    try {
        libpqConnectionString("postgresql://u:keep%4pass@db/hub");
        FAIL() << "a password with a broken escape was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("invalid escape"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("keep"), std::string::npos) << "the password is never echoed";
    }
}

TEST(PostgresUrl, RedactsThePasswordForLogs) {
    EXPECT_EQ(redactedPostgresUrl("postgresql://hub:secret@db:5433/hubdb"), "postgresql://hub:***@db:5433/hubdb");
    EXPECT_EQ(redactedPostgresUrl("postgresql://db/hubdb"), "postgresql://db:5432/hubdb");
}

TEST(DatabaseUrl, SqliteUrlsNameAFile) {
    EXPECT_TRUE(isSqliteUrl("sqlite:data/hub.db"));
    EXPECT_FALSE(isSqliteUrl("postgresql://db/hub"));
    EXPECT_EQ(sqlitePath("sqlite:/var/lib/smb-hub/hub.db"), "/var/lib/smb-hub/hub.db");
}

}  // namespace
}  // namespace smbhub::core
