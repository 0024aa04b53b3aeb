// The smb-hub command line (docs/api.md, "Command line"): check-config, plugins, account create
// and --version, run against a test config in a temp dir, without a server running unless the
// test starts one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/ApiClient.h"
#include "support/HubProcess.h"
#include "support/JsonText.h"
#include "support/TestCertificates.h"

namespace smbhub::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class CliTest : public ::testing::Test {
protected:
    static const TestCertificates& certificates() {
        static const TestCertificates shared;
        return shared;
    }

    HubProcess hub_{certificates().caFile()};
};

TEST_F(CliTest, CheckConfigAcceptsTheTestConfig) {
    const CommandResult result = hub_.runCli({"check-config"});
    EXPECT_EQ(result.exitCode, 0) << result.describe();
}

TEST_F(CliTest, CheckConfigNamesAnUnknownKey) {
    hub_.config().set("delivery.bogus_option", "1");
    const CommandResult result = hub_.runCli({"check-config"});
    EXPECT_NE(result.exitCode, 0) << result.describe();
    EXPECT_THAT(result.out + result.err, HasSubstr("delivery.bogus_option"));
}

TEST_F(CliTest, CheckConfigNamesABadValue) {
    hub_.config().set("delivery.timeout_ms", R"("soon")");
    const CommandResult result = hub_.runCli({"check-config"});
    EXPECT_NE(result.exitCode, 0) << result.describe();
    EXPECT_THAT(result.out + result.err, HasSubstr("delivery.timeout_ms"));
}

TEST_F(CliTest, ServeRefusesToStartWithAnUnknownKey) {
    hub_.config().set("server.bogus_option", "true");
    EXPECT_THROW(hub_.start(), std::runtime_error);
    EXPECT_NE(hub_.exitCode().value_or(0), 0);
    EXPECT_THAT(hub_.logText(), HasSubstr("server.bogus_option"));
}

// SQLite is one process per database file: a second `serve` on it is refused (it would release
// the first one's delivery leases), and the file is free again once the first has gone, even
// after a SIGKILL. (The database URL is set to SQLite here, whichever backend the run is for.)
TEST_F(CliTest, ASecondServeOnOneSqliteFileIsRefused) {
    const std::string url = HubConfigYaml::quoted("sqlite:" + hub_.dir().file("shared.db"));
    hub_.config().set("database.url", url);
    hub_.start();
    HubProcess second(certificates().caFile(), {{"database.url", url}});
    EXPECT_THROW(second.start(), std::runtime_error);
    EXPECT_NE(second.exitCode().value_or(0), 0);
    EXPECT_THAT(second.logText(), HasSubstr("another smb-hub serve is using"));

    hub_.kill();
    second.start();
    EXPECT_TRUE(second.running());
}

TEST_F(CliTest, AccountCreatePrintsTheAccountAndAWorkingApiKey) {
    const CommandResult result =
        hub_.runCli({"account", "create", "--name", "Acme Plumbing", "--plan", "pro"});
    ASSERT_EQ(result.exitCode, 0) << result.describe();

    const Poco::Dynamic::Var account = parseJson(result.out);
    ASSERT_FALSE(account.isEmpty()) << "stdout is not one JSON object: " << result.out;
    EXPECT_THAT(jsonString(account, "id"), StartsWith("acc_"));
    EXPECT_THAT(jsonString(account, "apiKey"), StartsWith("smbk_"));
    EXPECT_EQ(jsonString(account, "name"), "Acme Plumbing");
    EXPECT_EQ(jsonString(account, "plan"), "pro");

    hub_.start();
    const ApiClient api(hub_.host(), hub_.port());
    const ApiResponse response = api.get("/api/integrations", jsonString(account, "apiKey"));
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(jsonSize(response.json, "integrations"), 0u) << response.describe();
    hub_.stop();
    EXPECT_EQ(hub_.exitCode(), 0) << "SIGTERM should end the hub cleanly. Log:\n"
                                  << hub_.logText();
}

TEST_F(CliTest, VersionPrintsTheVersionAndNeedsNoConfig) {
    const CommandResult result = hub_.runBinary({"--version"});  // no config file in its folder
    EXPECT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_EQ(result.out, std::string("smb-hub ") + SMBHUB_EXPECTED_VERSION + "\n");
    EXPECT_EQ(result.err, "");
}

TEST_F(CliTest, HelpListsVersion) {
    const CommandResult result = hub_.runBinary({"--help"});
    EXPECT_EQ(result.exitCode, 0) << result.describe();
    EXPECT_THAT(result.out, HasSubstr("smb-hub --version"));
}

// A plugins.dir that is not there is the operator's mistake to fix, not nine "missing" plugins.
TEST_F(CliTest, PluginsSaysThePluginFolderIsNotThere) {
    const std::string absent = hub_.dir().file("no-such-plugins");
    hub_.config().set("plugins.dir", HubConfigYaml::quoted(absent));
    const CommandResult result = hub_.runCli({"plugins"});
    EXPECT_EQ(result.exitCode, 78) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("plugins.dir: no such folder " + absent));
    EXPECT_THAT(result.out, Not(HasSubstr("missing"))) << result.out;
}

TEST_F(CliTest, PluginsSaysThePluginFolderIsAFile) {
    hub_.config().set("plugins.dir", HubConfigYaml::quoted(hub_.configFile()));  // a file
    const CommandResult result = hub_.runCli({"plugins"});
    EXPECT_EQ(result.exitCode, 78) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("plugins.dir: not a folder: " + hub_.configFile()));
}

TEST_F(CliTest, CheckConfigNamesAMissingPluginFolder) {
    const std::string absent = hub_.dir().file("no-such-plugins");
    hub_.config().set("plugins.dir", HubConfigYaml::quoted(absent));
    const CommandResult result = hub_.runCli({"check-config"});
    EXPECT_EQ(result.exitCode, 78) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("plugins.dir: no such folder " + absent));
}

TEST_F(CliTest, PluginsListsTheBuiltPlugins) {
    const CommandResult result = hub_.runCli({"plugins"});
    EXPECT_EQ(result.exitCode, 0) << result.describe();
    for (const char* id : {"webhook", "zapier", "n8n", "make", "pipedream", "clay", "hubspot",
                           "salesforce", "pipedrive"}) {
        EXPECT_THAT(result.out, HasSubstr(std::string("libsmbhub-") + id + ".so")) << result.out;
    }
    EXPECT_THAT(result.out, Not(HasSubstr("missing"))) << result.out;
}

}  // namespace
}  // namespace smbhub::test
