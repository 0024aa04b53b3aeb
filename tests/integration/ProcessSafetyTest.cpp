// What the hub does to the machine it runs on (SPEC §13): its SQLite files hold customers'
// leads and are readable by its user only; a second hub cannot quietly share the first one's
// address; a configuration that says the same thing twice is refused, not half-read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "support/ApiClient.h"
#include "support/HubProcess.h"
#include "support/JsonText.h"
#include "support/TestCertificates.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;

class ProcessSafetyTest : public ::testing::Test {
protected:
    static const TestCertificates& certificates() {
        static const TestCertificates shared;
        return shared;
    }

    static unsigned modeOf(const std::string& path) {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) return 0xFFFF;
        return info.st_mode & 0777;
    }

    HubProcess hub_{certificates().caFile()};
};

TEST_F(ProcessSafetyTest, TheSqliteDatabaseAndItsWalFilesAreReadableByTheOwnerOnly) {
    if (backendUnderTest() != Backend::Sqlite) GTEST_SKIP() << "files of the SQLite backend only";
    hub_.start();
    // A write, so that the -wal and -shm files certainly exist.
    const ApiResponse created = ApiClient(hub_.host(), hub_.port())
                                    .post("/api/admin/accounts", R"({"name":"Files","plan":"pro"})", hub_.adminToken());
    ASSERT_EQ(created.status, 201) << created.describe();
    const std::string db = hub_.dir().path() + "/hub.db";
    for (const std::string& file : {db, db + "-wal", db + "-shm"}) {
        EXPECT_EQ(modeOf(file), 0600u) << file;
    }
}

TEST_F(ProcessSafetyTest, ASecondHubOnAnAddressInUseFailsAtStartSayingSo) {
    hub_.start();
    HubProcess second(certificates().caFile(),
                      {{"server.listen", HubConfigYaml::quoted("127.0.0.1:" + std::to_string(hub_.port()))}});
    EXPECT_THROW(second.start(std::chrono::seconds(10)), std::runtime_error);
    EXPECT_NE(second.exitCode().value_or(0), 0);
    EXPECT_THAT(second.logText(), HasSubstr("already in use"));
    // The first hub still answers every connection.
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(ApiClient(hub_.host(), hub_.port()).get("/api/nothing").status, 404);
    }
}

TEST_F(ProcessSafetyTest, AKeyWrittenTwiceIsAConfigErrorNamingIt) {
    const std::string file = hub_.dir().path() + "/twice.yaml";
    std::ofstream(file) << hub_.config().render() << "log:\n  level: debug\n";
    const CommandResult result = hub_.runBinary({"check-config", "--config", file});
    EXPECT_NE(result.exitCode, 0) << result.describe();
    EXPECT_THAT(result.out + result.err, HasSubstr("log"));
    EXPECT_THAT(result.out + result.err, HasSubstr("twice"));

    const std::string nested = hub_.dir().path() + "/nested.yaml";
    std::ofstream(nested) << "server:\n  listen: \"127.0.0.1:0\"\n  listen: \"127.0.0.1:1\"\n";
    const CommandResult second = hub_.runBinary({"check-config", "--config", nested});
    EXPECT_NE(second.exitCode, 0) << second.describe();
    EXPECT_THAT(second.out + second.err, HasSubstr("server.listen"));
}

}  // namespace
}  // namespace smbhub::test
