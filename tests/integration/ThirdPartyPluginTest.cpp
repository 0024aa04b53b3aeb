// The third-party path of SPEC §10 and §17, walked at test time the way docs/plugin-authoring.md
// tells an outside author to walk it: install the SDK from this build tree to a temporary prefix,
// build a plugin against that prefix (nothing else from the hub's tree), drop the library in a
// plugins folder next to the in-tree webhook plugin, enable it in YAML, and see an event
// delivered through it, signed by the hub.
//
// Since plugin ABI 2 only C crosses the boundary, so the example is built twice: with the hub's
// own compiler, and with Debian's clang++ on LLVM's libc++ (a C++ library the GCC-built hub does
// not use), which must load and deliver the same. A throwing provider built with clang/libc++
// shows that its exceptions stop inside the plugin and reach the hub as error values. Each case
// runs CMake twice and a compiler once: ~10-20 s.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "HubTest.h"
#include "support/ChildProcess.h"
#include "support/SignatureCheck.h"
#include "support/TempDir.h"

#if !defined(SMBHUB_BUILD_DIR) || !defined(SMBHUB_CMAKE_COMMAND) ||            \
    !defined(SMBHUB_CMAKE_GENERATOR) || !defined(SMBHUB_CMAKE_MAKE_PROGRAM) || \
    !defined(SMBHUB_CXX_COMPILER) || !defined(SMBHUB_CLANG_CXX_COMPILER)
#error "tests/CMakeLists.txt must define SMBHUB_BUILD_DIR and the SMBHUB_CMAKE_* / compiler paths"
#endif

namespace smbhub::test {
namespace {

namespace fs = std::filesystem;
using ::testing::ContainsRegex;
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

// A compiler and C++ library a third party might build a plugin with.
struct Toolchain {
    std::string name;          // the test's parameter name
    std::string compiler;      // CMAKE_CXX_COMPILER
    std::string flags;         // added to the compile and module link flags
    std::string cxxLibrary;    // the C++ library the plugin must be linked to (DT_NEEDED); "": any
    std::string otherLibrary;  // the one it must not be linked to
    bool clang = false;        // whether the library's .comment must name clang
};

// gtest prints the parameter in test listings (and CTest's names): its name says it all.
void PrintTo(const Toolchain& toolchain, std::ostream* out) { *out << toolchain.name; }

// Whatever the hub itself is built with (g++ and libstdc++ on Debian 12).
const Toolchain kHubCompiler{"HubCompiler", SMBHUB_CXX_COMPILER, "", "", "", false};
const Toolchain kClangLibcxx{"ClangLibcxx", SMBHUB_CLANG_CXX_COMPILER, "-stdlib=libc++",
                             "libc++.so.1", "libstdc++.so.6", true};

// Steps an outside author takes, each asserting as it goes.
class ThirdPartyBuild {
public:
    // 1. Install the SDK: headers and the CMake package, nothing else needed.
    void installSdk() {
        const CommandResult installed =
            cmake({"--install", SMBHUB_BUILD_DIR, "--prefix", sdk_.path(), "--component", "sdk"});
        ASSERT_EQ(installed.exitCode, 0) << installed.describe() << "\n" << installed.out;
        const std::string packageDir = sdk_.file("lib/cmake/SmbHubPluginSdk");
        for (const std::string& file :
             {sdk_.file("include/smbhub/sdk/abi.h"), sdk_.file("include/smbhub/sdk/plugin.h"),
              sdk_.file("include/smbhub/sdk/provider.h"),
              sdk_.file("include/smbhub/sdk/provider_adapter.h"),
              packageDir + "/SmbHubPluginSdkConfig.cmake",
              packageDir + "/SmbHubPluginSdkConfigVersion.cmake",
              packageDir + "/SmbHubPluginSdkTargets.cmake", packageDir + "/SmbHubPlugin.cmake"}) {
            EXPECT_TRUE(fs::is_regular_file(file)) << file << " was not installed:\n" << installed.out;
        }
    }

    // 2. Build the CMake project in `sourceDir` against that prefix with `toolchain` and
    //    warnings as errors (the example is code people copy); returns the library's path.
    std::string build(const std::string& sourceDir, const Toolchain& toolchain,
                      const std::string& libraryName) {
        const std::string flags = "-Wall -Wextra -Wpedantic -Werror " + toolchain.flags;
        const CommandResult configured = cmake(
            {"-S", sourceDir, "-B", build_.path(), "-G", SMBHUB_CMAKE_GENERATOR,
             std::string("-DCMAKE_MAKE_PROGRAM=") + SMBHUB_CMAKE_MAKE_PROGRAM,
             "-DCMAKE_CXX_COMPILER=" + toolchain.compiler, "-DCMAKE_BUILD_TYPE=Release",
             "-DCMAKE_CXX_FLAGS=" + flags, "-DCMAKE_MODULE_LINKER_FLAGS=" + toolchain.flags,
             "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
             "-DCMAKE_PREFIX_PATH=" + sdk_.path()});
        if (configured.exitCode != 0) {
            ADD_FAILURE() << configured.describe() << "\n" << configured.out
                          << (toolchain.clang ? "\n(clang++ with libc++ needs the Debian packages "
                                                "clang, libc++-dev and libc++abi-dev: "
                                                "scripts/install-deps.sh installs them)"
                                              : "");
            return "";
        }
        const std::string cache = readFile(build_.file("CMakeCache.txt"));
        EXPECT_THAT(cache, HasSubstr("SmbHubPluginSdk_DIR:PATH=" + sdk_.file("lib/cmake/SmbHubPluginSdk")))
            << "find_package must have found the SDK in the temporary prefix";
        const CommandResult built = cmake({"--build", build_.path()});
        if (built.exitCode != 0) {
            ADD_FAILURE() << built.describe() << "\n" << built.out;
            return "";
        }
        const std::string compileCommands = readFile(build_.file("compile_commands.json"));
        EXPECT_THAT(compileCommands, HasSubstr(sdk_.file("include")));
        EXPECT_THAT(compileCommands, Not(HasSubstr(std::string(SMBHUB_SOURCE_DIR) + "/plugin-sdk")))
            << "the plugin must compile against the installed headers, not the hub's tree";
        const std::string library = build_.file(libraryName);
        EXPECT_TRUE(fs::is_regular_file(library)) << built.out;
        expectBuiltWith(library, toolchain);
        return library;
    }

    // The library really is the toolchain's: linked to its C++ library and not the other one,
    // and compiled by clang (for the clang toolchain; the hub's own is taken as it is).
    static void expectBuiltWith(const std::string& library, const Toolchain& toolchain) {
        if (toolchain.cxxLibrary.empty()) return;
        const CommandResult dynamic = ChildProcess::run("readelf", {"-d", library}, kToolTimeout);
        ASSERT_EQ(dynamic.exitCode, 0) << dynamic.describe();
        EXPECT_THAT(dynamic.out, HasSubstr("Shared library: [" + toolchain.cxxLibrary + "]")) << dynamic.out;
        EXPECT_THAT(dynamic.out, Not(HasSubstr("Shared library: [" + toolchain.otherLibrary + "]")))
            << dynamic.out;
        if (toolchain.clang) {
            const CommandResult comment =
                ChildProcess::run("readelf", {"-p", ".comment", library}, kToolTimeout);
            ASSERT_EQ(comment.exitCode, 0) << comment.describe();
            EXPECT_THAT(comment.out, HasSubstr("clang version")) << comment.out;
        }
    }

    const TempDir& sdk() const { return sdk_; }

private:
    // Runs CMake with the hub build's own cmake binary.
    static CommandResult cmake(const std::vector<std::string>& args) {
        return ChildProcess::run(SMBHUB_CMAKE_COMMAND, args, kToolTimeout);
    }

    TempDir sdk_{"smbhub-sdk"};             // the install prefix an author would choose
    TempDir build_{"smbhub-plugin-build"};  // the author's build tree
};

class ThirdPartyPluginTest : public HubTest {
protected:
    // 3-4. The operator's plugins folder (the in-tree webhook plugin and `library`), enabled in
    //      YAML; the hub restarted on it, and the plugin reported loaded.
    void restartHubWith(const std::string& library, const std::string& id) {
        fs::copy_file(HubProcess::defaultPluginDir() + "/libsmbhub-webhook.so",
                      plugins_.file("libsmbhub-webhook.so"));
        fs::copy_file(library, plugins_.file("libsmbhub-" + id + ".so"));
        hub().stop();
        hub()
            .config()
            .set("plugins.dir", HubConfigYaml::quoted(plugins_.path()))
            .set("plugins.enabled", "[webhook, " + id + "]");
        hub().start();
        const CommandResult listed = hub().runCli({"plugins"});
        ASSERT_EQ(listed.exitCode, 0) << listed.describe();
        EXPECT_THAT(lineFor(listed.out, id), HasSubstr("loaded")) << listed.out;
        EXPECT_THAT(lineFor(listed.out, id), HasSubstr("libsmbhub-" + id + ".so")) << listed.out;
    }

    ThirdPartyBuild author_;
    TempDir plugins_{"smbhub-plugins"};
};

class ExamplePluginTest : public ThirdPartyPluginTest,
                          public ::testing::WithParamInterface<Toolchain> {};

TEST_P(ExamplePluginTest, ExampleBuiltAgainstTheInstalledSdkDeliversASignedChatMessage) {
    ASSERT_NO_FATAL_FAILURE(author_.installSdk());
    const std::string library = author_.build(std::string(SMBHUB_SOURCE_DIR) + "/examples/chat-webhook",
                                              GetParam(), "libsmbhub-chat.so");
    ASSERT_FALSE(library.empty());
    ASSERT_NO_FATAL_FAILURE(restartHubWith(library, "chat"));
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
    EXPECT_EQ(jsonString(chat, "name"), "Chat Incoming Webhook");
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

INSTANTIATE_TEST_SUITE_P(Toolchains, ExamplePluginTest, ::testing::Values(kHubCompiler, kClangLibcxx),
                         [](const ::testing::TestParamInfo<Toolchain>& info) { return info.param.name; });

// tests/plugins/throwing_provider.cpp built the third-party way with clang++ and libc++: its
// exceptions are thrown and caught by libc++'s runtime inside the plugin, and the GCC-built hub
// sees only error values with their messages.
TEST_F(ThirdPartyPluginTest, ExceptionsOfAClangLibcxxPluginComeBackAsErrorValues) {
    ASSERT_NO_FATAL_FAILURE(author_.installSdk());
    const TempDir project("smbhub-throwing-project");
    std::ofstream(project.file("CMakeLists.txt"))
        << "cmake_minimum_required(VERSION 3.16)\n"
           "project(ThrowingPlugin LANGUAGES CXX)\n"
           "set(CMAKE_CXX_STANDARD 17)\n"
           "find_package(SmbHubPluginSdk REQUIRED)\n"
           "smbhub_add_plugin(throwing ID throwing SOURCES "
        << SMBHUB_SOURCE_DIR << "/tests/plugins/throwing_provider.cpp)\n";
    const std::string library = author_.build(project.path(), kClangLibcxx, "libsmbhub-throwing.so");
    ASSERT_FALSE(library.empty());
    ASSERT_NO_FATAL_FAILURE(restartHubWith(library, "throwing"));

    const TestAccount account = createAccount();
    auto createThrowing = [&](const std::string& path) {
        return api().post("/api/integrations/webhook",
                          R"({"provider":"throwing","displayName":"Throwing","targetUrl":)" +
                              jsonQuote(receiver().url(path)) + R"(,"events":["lead.created"]})",
                          account.apiKey);
    };
    const ApiResponse exploded = createThrowing("/hooks/explode");
    EXPECT_TRUE(isApiError(exploded, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(exploded.errorMessage(), HasSubstr("throwing plugin: validate exploded on /hooks/explode"))
        << exploded.describe();
    const ApiResponse odd = createThrowing("/hooks/odd-throw");
    EXPECT_TRUE(isApiError(odd, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(odd.errorMessage(), HasSubstr("not a std::exception")) << odd.describe();

    const ApiResponse throwing = createThrowing("/hooks/throwing");
    ASSERT_EQ(throwing.status, 201) << throwing.describe();
    const TestIntegration normal = createWebhook(account, "/hooks/normal");
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/hooks/normal", 1, kDeliveryWait));
    const auto attempts = waitForAttempts(
        account, throwing.string("id"), [](const auto& seen) { return !seen.empty(); }, kDeliveryWait);
    ASSERT_FALSE(attempts.empty()) << "the failed render was not recorded as an attempt";
    EXPECT_THAT(jsonString(attempts.back(), "error"),
                ContainsRegex("plugin throwing failed to render: throwing plugin: render exploded on lead\\.created"))
        << attemptsText(attempts);
    EXPECT_EQ(receiver().count("/hooks/throwing"), 0u);
    EXPECT_TRUE(hub().running()) << hub().logText();
}

}  // namespace
}  // namespace smbhub::test
