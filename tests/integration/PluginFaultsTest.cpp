// Plugins that are incompatible or broken (SPEC §10, §17): the hub refuses each bad library with
// one log line naming the reason, `smb-hub plugins` shows it refused with that reason, and the hub
// serves on with the rest; an exception inside a plugin call becomes a 400 or a failed attempt
// carrying the plugin's message while other deliveries carry on.
//
// Each case starts the hub on its own plugins folder: the in-tree webhook plugin plus the
// libraries the case adds, from tests/plugins (built into SMBHUB_TEST_PLUGIN_DIR) or made here.
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "HubTest.h"
#include "support/SignatureCheck.h"
#include "support/TempDir.h"

#ifndef SMBHUB_TEST_PLUGIN_DIR
#error "SMBHUB_TEST_PLUGIN_DIR must name the folder of tests/plugins (set in tests/CMakeLists.txt)"
#endif

namespace smbhub::test {
namespace {

namespace fs = std::filesystem;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr auto kDeliveryWait = 10s;

std::string testPlugin(const std::string& name) {
    return std::string(SMBHUB_TEST_PLUGIN_DIR) + "/" + name;
}

std::vector<std::string> linesContaining(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(needle) != std::string::npos) found.push_back(line);
    }
    return found;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

// Where the loadable segments of an ELF64 shared library end in its file: cutting the file
// before that point leaves a library whose headers look fine but whose code is missing.
std::uintmax_t loadableEnd(const std::string& path, std::uintmax_t& headersEnd) {
    std::ifstream in(path, std::ios::binary);
    Elf64_Ehdr header{};
    in.read(reinterpret_cast<char*>(&header), sizeof header);
    if (!in || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64) {
        throw std::runtime_error(path + " is not an ELF64 file");
    }
    headersEnd = header.e_phoff + std::uintmax_t{header.e_phnum} * header.e_phentsize;
    std::uintmax_t end = 0;
    for (int i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        in.seekg(static_cast<std::streamoff>(header.e_phoff + i * header.e_phentsize));
        in.read(reinterpret_cast<char*>(&segment), sizeof segment);
        if (!in) throw std::runtime_error(path + ": cannot read its program headers");
        if (segment.p_type == PT_LOAD) {
            end = std::max<std::uintmax_t>(end, segment.p_offset + segment.p_filesz);
        }
    }
    return end;
}

// A hub on a plugins folder of the in-tree webhook plugin plus what addLibraries() puts there.
class PluginFolderTest : public HubTest {
protected:
    void SetUp() override {
        copyIn(HubProcess::defaultPluginDir() + "/libsmbhub-webhook.so");
        addLibraries();
        if (HasFatalFailure()) return;
        HubTest::SetUp();
    }

    std::map<std::string, std::string> hubOverrides() const override {
        return {{"plugins.dir", HubConfigYaml::quoted(plugins_.path())},
                {"plugins.enabled", enabledPlugins()}};
    }

    virtual void addLibraries() {}
    // Bad libraries' ids are enabled too: being enabled must not get them loaded.
    virtual std::string enabledPlugins() const { return "[webhook]"; }

    // Copies `from` into the plugins folder as `name` (its own name by default).
    std::string copyIn(const std::string& from, const std::string& name = "") {
        const std::string to =
            plugins_.file(name.empty() ? fs::path(from).filename().string() : name);
        fs::copy_file(from, to);
        return to;
    }
    std::string writeFile(const std::string& name, const std::string& content) {
        std::ofstream(plugins_.file(name), std::ios::binary) << content;
        return plugins_.file(name);
    }

    // Every "refused" line the hub logged this run.
    std::vector<std::string> refusals() { return linesContaining(hub().logText(), " refused: "); }

    // Exactly one refusal line for `fileName`, naming `reason`; `smb-hub plugins` agrees.
    void expectRefusedOnce(const std::string& fileName, const std::string& reasonRegex) {
        SCOPED_TRACE(fileName);
        const auto lines = linesContaining(hub().logText(), "/" + fileName + " refused: ");
        ASSERT_EQ(lines.size(), 1u) << "want one refusal line, log has:\n" << joined(refusals());
        EXPECT_THAT(lines.front(), ContainsRegex(reasonRegex));
        EXPECT_THAT(lines.front(), HasSubstr("plugin ")) << lines.front();

        const auto listed = linesContaining(pluginsTable(), "/" + fileName);
        ASSERT_EQ(listed.size(), 1u) << pluginsTable();
        EXPECT_THAT(listed.front(), HasSubstr(" refused ")) << listed.front();
        EXPECT_THAT(listed.front(), ContainsRegex(reasonRegex)) << listed.front();
    }

    // `smb-hub plugins --config …`, run once per test.
    const std::string& pluginsTable() {
        if (pluginsTable_.empty()) {
            const CommandResult result = hub().runCli({"plugins"});
            EXPECT_EQ(result.exitCode, 0) << result.describe();
            pluginsTable_ = result.out + result.err;
        }
        return pluginsTable_;
    }

    // The hub runs on: the providers endpoint answers and a webhook delivery arrives, signed,
    // carrying the in-tree plugin's envelope.
    void expectWebhooksStillDelivered() {
        ASSERT_TRUE(hub().running()) << hub().logText();
        const TestAccount account = createAccount();
        const ApiResponse providers = api().get("/api/integrations/providers", account.apiKey);
        ASSERT_EQ(providers.status, 200) << providers.describe();
        bool webhookAvailable = false;
        for (const auto& provider : jsonArray(providers.json, "providers")) {
            if (jsonString(provider, "id") == "webhook")
                webhookAvailable = jsonBool(provider, "available");
        }
        EXPECT_TRUE(webhookAvailable) << providers.describe();

        const TestIntegration integration = createWebhook(account, "/hooks/still-works");
        const ApiResponse published = publish(account, "lead.created", leadsData(2));
        ASSERT_EQ(published.status, 202) << published.describe();
        ASSERT_TRUE(receiver().waitForRequests("/hooks/still-works", 1, kDeliveryWait));
        const ReceivedRequest request = receiver().requests("/hooks/still-works").front();
        EXPECT_EQ(jsonString(parseJson(request.body), "id"), published.string("id"))
            << request.body;
        const SignatureVerdict verdict = SignatureCheck::verify(
            request.header("X-SMB-Signature"), integration.signingSecret, request.body);
        EXPECT_TRUE(verdict.valid) << verdict.reason;
    }

    TempDir plugins_{"smbhub-plugins"};

private:
    std::string pluginsTable_;
};

// Built against ABI 99.0, against a minor newer than the hub's, and an ABI 1 library (whose
// boundary was C++ objects).
class ForeignAbiTest : public PluginFolderTest {
protected:
    void addLibraries() override {
        copyIn(testPlugin("libsmbhub-future-major.so"));
        copyIn(testPlugin("libsmbhub-future-minor.so"));
        copyIn(testPlugin("libsmbhub-abi-one.so"));
    }
    std::string enabledPlugins() const override {
        return "[webhook, future-major, future-minor, abi-one]";
    }
};

TEST_F(ForeignAbiTest, LibrariesBuiltAgainstAnotherAbiAreRefusedAndTheHubRunsOn) {
    expectRefusedOnce("libsmbhub-future-major.so", "built against plugin ABI 99\\.0, the hub speaks 2\\.0");
    expectRefusedOnce("libsmbhub-future-minor.so", "built against plugin ABI 2\\.7, the hub speaks 2\\.0");
    // An ABI 1 library is named for what it is, with what to do; its create() would abort.
    expectRefusedOnce("libsmbhub-abi-one.so",
                      "built against plugin ABI 1\\.0 \\(C\\+\\+ at the boundary.*the hub speaks 2\\.0 "
                      "\\(C only\\): rebuild the plugin against this hub's SDK");
    // Its id and version are read from the ABI 1 layout, so the operator sees which plugin
    // needs rebuilding (and it is not reported missing).
    EXPECT_THAT(joined(linesContaining(pluginsTable(), "/libsmbhub-abi-one.so")),
                ContainsRegex("abi-one +1\\.0\\.0 +refused"))
        << pluginsTable();
    EXPECT_THAT(hub().logText(), Not(HasSubstr("abi-one is enabled but no library")));
    EXPECT_EQ(refusals().size(), 3u) << joined(refusals());
    EXPECT_THAT(hub().logText(), Not(HasSubstr("factory"))) << "no code of a refused plugin runs";

    const ApiResponse providers =
        api().get("/api/integrations/providers", createAccount("pro", "Provider Reader").apiKey);
    ASSERT_EQ(providers.status, 200) << providers.describe();
    EXPECT_THAT(providers.body, Not(HasSubstr("future-m"))) << providers.describe();
    EXPECT_THAT(providers.body, Not(HasSubstr("abi-one"))) << providers.describe();
    expectWebhooksStillDelivered();
}

// Files that are not plugins: a text file, text named like a library, a library without the
// entry point.
class NotAPluginTest : public PluginFolderTest {
protected:
    void addLibraries() override {
        writeFile("README.txt", "Drop provider plugins (lib*.so) in this folder.\n");
        std::string garbage;
        for (int i = 0; i < 20; ++i) garbage += "this is not a shared library\n";
        writeFile("libsmbhub-garbage.so", garbage);
        copyIn(testPlugin("libsmbhub-no-entry.so"));
    }
};

TEST_F(NotAPluginTest, FilesThatAreNotPluginsAreRefusedOrIgnoredAndTheHubRunsOn) {
    // The loader's own reason, not a generic errno text.
    expectRefusedOnce("libsmbhub-garbage.so",
                      "cannot be loaded: .*(invalid ELF header|not an ELF)");
    expectRefusedOnce("libsmbhub-no-entry.so", "not a plugin: no smbhub_plugin_entry");
    EXPECT_EQ(refusals().size(), 2u) << joined(refusals());
    // Only shared libraries are candidates: anything else in the folder is left alone.
    EXPECT_THAT(hub().logText(), Not(HasSubstr("README.txt")));
    EXPECT_THAT(pluginsTable(), Not(HasSubstr("README.txt")));
    expectWebhooksStillDelivered();
}

// Libraries cut short, as by an interrupted copy: once inside the ELF headers, once after the
// headers but inside the code and data the loader maps.
class TruncatedLibraryTest : public PluginFolderTest {
protected:
    void addLibraries() override {
        const std::string whole = testPlugin("libsmbhub-throwing.so");
        std::uintmax_t headersEnd = 0;
        const std::uintmax_t end = loadableEnd(whole, headersEnd);
        const std::uintmax_t cut = end / 2;
        ASSERT_GT(cut, headersEnd) << "the cut must leave the ELF headers whole";

        fs::resize_file(copyIn(whole, "libsmbhub-cut-in-headers.so"), headersEnd / 2);
        fs::resize_file(copyIn(whole, "libsmbhub-cut-in-code.so"), cut);
    }
    std::string enabledPlugins() const override { return "[webhook, throwing]"; }
};

TEST_F(TruncatedLibraryTest, TruncatedLibrariesAreRefusedAndTheHubRunsOn) {
    const std::string truncated = "cannot be loaded: .*(truncated|too short|cannot read file data)";
    expectRefusedOnce("libsmbhub-cut-in-headers.so", truncated);
    expectRefusedOnce("libsmbhub-cut-in-code.so", truncated);
    EXPECT_EQ(refusals().size(), 2u) << joined(refusals());
    expectWebhooksStillDelivered();
}

// A second library claiming "webhook"; its file name sorts after the in-tree one.
class DuplicateIdTest : public PluginFolderTest {
protected:
    void addLibraries() override { copyIn(testPlugin("libsmbhub-zz-duplicate-webhook.so")); }
};

TEST_F(DuplicateIdTest, ASecondLibraryClaimingAnIdIsRefusedAndTheFirstServes) {
    expectRefusedOnce("libsmbhub-zz-duplicate-webhook.so",
                      "id \"webhook\" is already provided by .*/libsmbhub-webhook\\.so");
    EXPECT_EQ(refusals().size(), 1u) << joined(refusals());
    EXPECT_THAT(joined(linesContaining(pluginsTable(), "/libsmbhub-webhook.so")),
                HasSubstr(" loaded "))
        << pluginsTable();

    expectWebhooksStillDelivered();
    for (const auto& request : receiver().requests()) {
        EXPECT_THAT(request.body, Not(HasSubstr("DUPLICATE"))) << "the refused library rendered";
    }
}

// A plugin whose validate throws for an "explode" URL and whose render always throws.
class ThrowingPluginTest : public PluginFolderTest {
protected:
    void addLibraries() override { copyIn(testPlugin("libsmbhub-throwing.so")); }
    std::string enabledPlugins() const override { return "[webhook, throwing]"; }

    ApiResponse createThrowing(const TestAccount& account, const std::string& path) {
        return api().post("/api/integrations/webhook",
                          R"({"provider":"throwing","displayName":"Throwing","targetUrl":)" +
                              jsonQuote(receiver().url(path)) + R"(,"events":["lead.created"]})",
                          account.apiKey);
    }
};

TEST_F(ThrowingPluginTest, ValidateThatThrowsRefusesTheIntegrationWithThePluginsMessage) {
    EXPECT_THAT(refusals(), IsEmpty());
    EXPECT_THAT(joined(linesContaining(pluginsTable(), "/libsmbhub-throwing.so")),
                HasSubstr(" loaded "))
        << pluginsTable();
    const TestAccount account = createAccount();

    const ApiResponse refused = createThrowing(account, "/hooks/explode");
    EXPECT_TRUE(isApiError(refused, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(refused.errorMessage(),
                HasSubstr("throwing plugin: validate exploded on /hooks/explode"))
        << refused.describe();

    // Something thrown that is not a std::exception is stopped inside the plugin too, and
    // comes back as an error value with a sentence: a 400, not a 500.
    const ApiResponse odd = createThrowing(account, "/hooks/odd-throw");
    EXPECT_TRUE(isApiError(odd, 400, "invalid_request", "targetUrl"));
    EXPECT_THAT(odd.errorMessage(), HasSubstr("not a std::exception")) << odd.describe();

    EXPECT_EQ(createThrowing(account, "/hooks/calm").status, 201);
    expectWebhooksStillDelivered();
}

TEST_F(ThrowingPluginTest, RenderThatThrowsFailsItsAttemptAndOtherDeliveriesCarryOn) {
    const TestAccount account = createAccount();
    const ApiResponse throwing = createThrowing(account, "/hooks/throwing");
    ASSERT_EQ(throwing.status, 201) << throwing.describe();
    const TestIntegration normal = createWebhook(account, "/hooks/normal");

    // One event for both integrations at once.
    const ApiResponse published = publish(account, "lead.created", leadsData(1));
    ASSERT_EQ(published.status, 202) << published.describe();
    ASSERT_EQ(jsonSize(published.json, "deliveries"), 2u) << published.describe();

    ASSERT_TRUE(receiver().waitForRequests("/hooks/normal", 1, kDeliveryWait));
    const ReceivedRequest request = receiver().requests("/hooks/normal").front();
    EXPECT_TRUE(SignatureCheck::verify(request.header("X-SMB-Signature"), normal.signingSecret,
                                       request.body)
                    .valid);

    const auto attempts = waitForAttempts(
        account, throwing.string("id"), [](const auto& seen) { return !seen.empty(); },
        kDeliveryWait);
    ASSERT_FALSE(attempts.empty()) << "the failed render was not recorded as an attempt";
    const auto& first = attempts.back();
    EXPECT_THAT(jsonString(first, "status"), ::testing::AnyOf("failed", "pending"))
        << toJsonText(first);
    EXPECT_THAT(jsonString(first, "error"),
                HasSubstr("throwing plugin: render exploded on lead.created"))
        << toJsonText(first);
    EXPECT_EQ(receiver().count("/hooks/throwing"), 0u) << "nothing is sent when render fails";

    // The hub carries on: a later event still reaches the normal integration.
    ASSERT_TRUE(hub().running()) << hub().logText();
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    EXPECT_TRUE(receiver().waitForRequests("/hooks/normal", 2, kDeliveryWait));
}

// A plugin that throws on every attempt is an error that repeats in a loop: the log says so once
// (with the reason), not once per attempt.
TEST_F(ThrowingPluginTest, ARenderThatKeepsThrowingIsLoggedOnceNotPerAttempt) {
    const TestAccount account = createAccount();
    const ApiResponse throwing = createThrowing(account, "/hooks/throwing");
    ASSERT_EQ(throwing.status, 201) << throwing.describe();
    for (int i = 0; i < 10; ++i) ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    // Every delivery's attempts: the first and the three retries of the test schedule.
    const auto attempts = waitForAttempts(
        account, throwing.string("id"), [](const auto& seen) { return seen.size() >= 40; }, kDeliveryWait);
    ASSERT_GE(attempts.size(), 40u) << "every attempt of every delivery failed in render";
    const std::string log = hub().logText();
    std::size_t lines = 0;
    for (std::size_t at = log.find("plugin throwing render"); at != std::string::npos;
         at = log.find("plugin throwing render", at + 1)) {
        ++lines;
    }
    EXPECT_EQ(lines, 1u) << log;
    EXPECT_THAT(log, HasSubstr("plugin throwing render failing: threw: throwing plugin: render exploded"));
}

}  // namespace
}  // namespace smbhub::test
