// The third-party path of SPEC §10, walked at test time the way docs/plugin-authoring.md tells
// an outside author to walk it: install the SDK from this build tree to a temporary prefix, build
// examples/chat-webhook against that prefix (nothing else from the hub's tree), drop the library
// in a plugins folder next to the in-tree webhook plugin, enable it in YAML, and see an event
// delivered through it, signed by the hub. Runs CMake twice and a compiler once: ~10-20 s.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "HubTest.h"
#include "support/ChildProcess.h"
#include "support/SignatureCheck.h"
#include "support/TempDir.h"

#if !defined(SMBHUB_BUILD_DIR) || !defined(SMBHUB_CMAKE_COMMAND) ||            \
    !defined(SMBHUB_CMAKE_GENERATOR) || !defined(SMBHUB_CMAKE_MAKE_PROGRAM) || \
    !defined(SMBHUB_CXX_COMPILER)
#error "tests/CMakeLists.txt must define SMBHUB_BUILD_DIR and the SMBHUB_CMAKE_* / compiler paths"
#endif

namespace smbhub::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr auto kToolTimeout = std::chrono::minutes(3);
constexpr auto kDeliveryWait = 10s;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The line of `smb-hub plugins` output that names `id` in its first column, or "".
std::string lineFor(const std::string& table, const std::string& id) {
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(id + " ", 0) == 0) return line;
    }
    return "";
}

class ThirdPartyPluginTest : public HubTest {
protected:
    // Runs CMake with the hub build's own cmake binary.
    static CommandResult cmake(const std::vector<std::string>& args) {
        return ChildProcess::run(SMBHUB_CMAKE_COMMAND, args, kToolTimeout);
    }

    TempDir sdk_{"smbhub-sdk"};                  // the install prefix an author would choose
    TempDir exampleBuild_{"smbhub-chat-build"};  // the author's build tree
    TempDir plugins_{"smbhub-plugins"};          // the operator's plugins folder
};

TEST_F(ThirdPartyPluginTest, ExampleBuiltAgainstTheInstalledSdkDeliversASignedChatMessage) {
    // 1. Install the SDK: headers and the CMake package, nothing else needed.
    const CommandResult installed =
        cmake({"--install", SMBHUB_BUILD_DIR, "--prefix", sdk_.path(), "--component", "sdk"});
    ASSERT_EQ(installed.exitCode, 0) << installed.describe() << "\n" << installed.out;
    const std::string packageDir = sdk_.file("lib/cmake/SmbHubPluginSdk");
    for (const std::string& file :
         {sdk_.file("include/smbhub/sdk/abi.h"), sdk_.file("include/smbhub/sdk/plugin.h"),
          sdk_.file("include/smbhub/sdk/provider.h"), packageDir + "/SmbHubPluginSdkConfig.cmake",
          packageDir + "/SmbHubPluginSdkConfigVersion.cmake",
          packageDir + "/SmbHubPluginSdkTargets.cmake", packageDir + "/SmbHubPlugin.cmake"}) {
        EXPECT_TRUE(fs::is_regular_file(file)) << file << " was not installed:\n" << installed.out;
    }

    // 2. Build the example against that prefix, with the hub's compiler (the build signature
    //    must match) and warnings as errors (the example is code people copy).
    const std::string example = std::string(SMBHUB_SOURCE_DIR) + "/examples/chat-webhook";
    const CommandResult configured = cmake(
        {"-S", example, "-B", exampleBuild_.path(), "-G", SMBHUB_CMAKE_GENERATOR,
         std::string("-DCMAKE_MAKE_PROGRAM=") + SMBHUB_CMAKE_MAKE_PROGRAM,
         std::string("-DCMAKE_CXX_COMPILER=") + SMBHUB_CXX_COMPILER, "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
         "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF", "-DCMAKE_PREFIX_PATH=" + sdk_.path()});
    ASSERT_EQ(configured.exitCode, 0) << configured.describe() << "\n" << configured.out;
    const std::string cache = readFile(exampleBuild_.file("CMakeCache.txt"));
    EXPECT_THAT(cache, HasSubstr("SmbHubPluginSdk_DIR:PATH=" + packageDir))
        << "find_package must have found the SDK in the temporary prefix";
    const CommandResult built = cmake({"--build", exampleBuild_.path()});
    ASSERT_EQ(built.exitCode, 0) << built.describe() << "\n" << built.out;
    const std::string compileCommands = readFile(exampleBuild_.file("compile_commands.json"));
    EXPECT_THAT(compileCommands, HasSubstr(sdk_.file("include")));
    EXPECT_THAT(compileCommands, Not(HasSubstr(std::string(SMBHUB_SOURCE_DIR) + "/plugin-sdk")))
        << "the example must compile against the installed headers, not the hub's tree";
    const std::string library = exampleBuild_.file("libsmbhub-chat.so");
    ASSERT_TRUE(fs::is_regular_file(library)) << built.out;

    // 3. The operator's plugins folder: the in-tree webhook plugin and the new library.
    fs::copy_file(HubProcess::defaultPluginDir() + "/libsmbhub-webhook.so",
                  plugins_.file("libsmbhub-webhook.so"));
    fs::copy_file(library, plugins_.file("libsmbhub-chat.so"));

    // 4. Enable it in YAML and restart the hub on that folder.
    hub().stop();
    hub()
        .config()
        .set("plugins.dir", HubConfigYaml::quoted(plugins_.path()))
        .set("plugins.enabled", "[webhook, chat]");
    hub().start();
    const CommandResult listed = hub().runCli({"plugins"});
    ASSERT_EQ(listed.exitCode, 0) << listed.describe();
    EXPECT_THAT(lineFor(listed.out, "chat"), HasSubstr("loaded")) << listed.out;
    EXPECT_THAT(lineFor(listed.out, "chat"), HasSubstr("libsmbhub-chat.so")) << listed.out;
    EXPECT_THAT(hub().logText(), HasSubstr("plugin chat 1.0.0 loaded"));

    const TestAccount account = createAccount();
    const ApiResponse providers = api().get("/api/integrations/providers", account.apiKey);
    ASSERT_EQ(providers.status, 200) << providers.describe();
    Poco::Dynamic::Var chat;
    for (const auto& provider : jsonArray(providers.json, "providers")) {
        if (jsonString(provider, "id") == "chat") chat = provider;
    }
    ASSERT_FALSE(chat.isEmpty()) << "chat is not listed: " << providers.describe();
    EXPECT_TRUE(jsonBool(chat, "available")) << toJsonText(chat);
    EXPECT_EQ(jsonString(chat, "kind"), "webhook");
    EXPECT_EQ(jsonString(chat, "settings.0.name"), "channel") << toJsonText(chat);
    EXPECT_FALSE(jsonBool(chat, "settings.0.secret", true)) << toJsonText(chat);

    // 5. An integration through the plugin: its own validation runs, then an event goes out.
    auto integrationBody = [&](const std::string& path) {
        return R"({"provider":"chat","displayName":"Sales room","targetUrl":)" +
               jsonQuote(receiver().url(path)) +
               R"(,"events":["lead.created"],"settings":{"channel":"#sales"}})";
    };
    const ApiResponse notAHook =
        api().post("/api/integrations/webhook", integrationBody("/not-a-hook"), account.apiKey);
    EXPECT_TRUE(isApiError(notAHook, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(notAHook.errorMessage(), HasSubstr("incoming webhook URL")) << notAHook.describe();

    const ApiResponse created = api().post("/api/integrations/webhook",
                                           integrationBody("/hooks/sales-room"), account.apiKey);
    ASSERT_EQ(created.status, 201) << created.describe();
    const std::string signingSecret = created.string("signingSecret");
    ASSERT_FALSE(signingSecret.empty()) << created.describe();

    const ApiResponse published = publish(account, "lead.created", leadsData(3));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_TRUE(receiver().waitForRequests("/hooks/sales-room", 1, kDeliveryWait))
        << "nothing arrived through the chat plugin";
    const ReceivedRequest request = receiver().requests("/hooks/sales-room").front();
    const Poco::Dynamic::Var message = parseJson(request.body);
    EXPECT_THAT(jsonString(message, "text"), HasSubstr("3 new leads")) << request.body;
    EXPECT_THAT(jsonString(message, "text"), HasSubstr(published.string("id"))) << request.body;
    EXPECT_EQ(jsonString(message, "channel"), "#sales") << request.body;
    EXPECT_FALSE(jsonHas(message, "data")) << "the plugin's body, not the hub's envelope";

    // What the hub adds to every plugin's request: its headers and its signature over the body.
    EXPECT_EQ(request.header("X-SMB-Event"), "lead.created");
    EXPECT_EQ(request.header("X-SMB-Event-Id"), published.string("id"));
    EXPECT_EQ(request.header("X-SMB-Delivery"),
              jsonString(published.json, "deliveries.0.deliveryId"));
    const SignatureVerdict verdict =
        SignatureCheck::verify(request.header("X-SMB-Signature"), signingSecret, request.body);
    EXPECT_TRUE(verdict.valid) << verdict.reason;

    const auto attempts = waitForAttempts(
        account, created.string("id"),
        [](const auto& seen) {
            return !seen.empty() && jsonString(seen.front(), "status") == "succeeded";
        },
        kDeliveryWait);
    ASSERT_FALSE(attempts.empty());
    EXPECT_EQ(jsonString(attempts.front(), "status"), "succeeded") << attemptsText(attempts);
}

}  // namespace
}  // namespace smbhub::test
