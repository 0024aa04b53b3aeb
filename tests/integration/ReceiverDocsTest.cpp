// What docs/signatures.md tells a receiver to run, run (issue 13): its Node.js, Python and C++
// snippets, taken from the file as they are (DocSnippets), verify real deliveries of the generic
// webhook and Clay providers (also during a secret rotation's overlap, with either secret), the
// document's test vectors and the real examples shown in
// docs/events.md and docs/providers.md — and refuse each of them with a changed body and with
// another secret. Node's library snippets (standardwebhooks, the same with svix, stripe-node)
// run on the fresh deliveries (they check the timestamp against the clock). The secret-conversion
// snippets turn an older base64url secret into the standard form. Go is not installed here; its
// snippets are not run.
//
// Samples are written for the drivers in tests/receivers/snippets/ as one folder each, holding
// the files secret, body, now (unix seconds), fresh ("1" when signed just now), webhook-id,
// webhook-timestamp, webhook-signature and x-smb-signature ("" when absent); a samples file lists
// the folders.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "HubTest.h"
#include "support/ChildProcess.h"
#include "support/DocSnippets.h"
#include "support/NodeVerifier.h"
#include "support/TempDir.h"

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

const std::string kDocs = std::string(SMBHUB_SOURCE_DIR) + "/docs/";
const std::string kDrivers = std::string(SMBHUB_SOURCE_DIR) + "/tests/receivers/snippets/";
constexpr auto kDeliveryWait = 10s;
constexpr auto kToolTimeout = 120s;
constexpr const char* kClayUrl = "https://api.clay.com/v3/sources/webhook/pull-in-data-from-a-webhook-docs";
constexpr const char* kClayPath = "/v3/sources/webhook/pull-in-data-from-a-webhook-docs";

// The test vectors of docs/signatures.md (and of tests/unit/standard_webhooks_test.cpp).
const std::string kVectorSecret = "whsec_++++Pp96ASNFZ4mrze/+3LqYdlQyEP/+/fwAESIzRFU=";
const std::string kVectorOlderSecret = "whsec_----Pp96ASNFZ4mrze_-3LqYdlQyEP_-_fwAESIzRFU";
const std::string kVectorBody = R"({"id":"evt_1","type":"lead.created"})";
const std::string kVectorWebhookSignature = "v1,4g+muzNkQcs8raNb1et6F7ezKANqRUqUp2s5JGWJiOU=";
const std::string kVectorSmbSignature =
    "t=1700000000,v1=4900898b60e7d290b40c6398e2cf6a6404bbd8dd19cfbf37a26aaffd54c4f8ea";
// A secret in the hub's format that signed nothing here.
const std::string kOtherSecret = "whsec_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

struct Sample {
    std::string label;
    std::string secret;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::int64_t now = 0;
    bool fresh = false;       // signed just now: the library snippets can check it too
    bool signsSmb = true;     // X-SMB-Signature is expected to verify as well
    bool expectValid = true;  // false for the controls
};

// The sample, the same with one body byte changed, and the same checked with another secret.
std::vector<Sample> withControls(const Sample& sample) {
    Sample tampered = sample;
    tampered.label += " (body changed)";
    tampered.body[tampered.body.size() / 2] = tampered.body[tampered.body.size() / 2] == 'A' ? 'B' : 'A';
    tampered.expectValid = false;
    Sample otherSecret = sample;
    otherSecret.label += " (another secret)";
    otherSecret.secret = kOtherSecret;
    otherSecret.expectValid = false;
    return {sample, tampered, otherSecret};
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Sample fromRequest(const std::string& label, const std::string& secret, const ReceivedRequest& request) {
    Sample sample{label, secret, {}, request.body, nowSeconds(), true};
    for (const char* name : {"webhook-id", "webhook-timestamp", "webhook-signature", "x-smb-signature"}) {
        sample.headers[name] = request.header(name);
    }
    return sample;
}

// An HTTP request as the docs print it: request line, headers, a blank line, the body on one line.
Sample fromDocumentedRequest(const std::string& label, const std::string& secret, const std::string& text) {
    Sample sample{label, secret, {}, "", 0, false};
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);  // POST /… HTTP/1.1
    while (std::getline(lines, line) && !line.empty()) {
        const std::size_t colon = line.find(": ");
        if (colon == std::string::npos) throw std::runtime_error("not a header line: " + line);
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        sample.headers[name] = line.substr(colon + 2);
    }
    std::getline(lines, sample.body);
    sample.now = std::stoll(sample.headers["webhook-timestamp"]);
    return sample;
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

// The docs' snippets in files named as they are marked, the samples in folders, and the
// drivers' verdicts read back: verdicts[label][check] = "ok" or why not.
class SnippetRun {
public:
    explicit SnippetRun(const std::vector<Sample>& samples) : dir_("smbhub-doc-snippets") {
        const DocSnippets doc(kDocs + "signatures.md");
        for (const auto& name : doc.names()) {
            const std::string path = dir_.file(name);
            std::filesystem::create_directories(std::filesystem::path(path).parent_path());
            writeFile(path, doc.get(name));
        }
        std::string list;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const Sample& sample = samples[i];
            const std::string folder = dir_.file("sample" + std::to_string(i));
            std::filesystem::create_directories(folder);
            writeFile(folder + "/secret", sample.secret);
            writeFile(folder + "/body", sample.body);
            writeFile(folder + "/now", std::to_string(sample.now));
            writeFile(folder + "/fresh", sample.fresh ? "1" : "0");
            for (const char* name : {"webhook-id", "webhook-timestamp", "webhook-signature", "x-smb-signature"}) {
                const auto found = sample.headers.find(name);
                writeFile(folder + "/" + name, found == sample.headers.end() ? "" : found->second);
            }
            labels_[folder] = sample.label;
            list += folder + "\n";
        }
        writeFile(samplesFile(), list);
    }

    std::string snippetDir() const { return dir_.path(); }
    std::string samplesFile() const { return dir_.file("samples"); }
    std::string file(const std::string& name) const { return dir_.file(name); }

    // Parses "<folder>\t<check>\t<verdict>" lines into verdicts[label][check].
    std::map<std::string, std::map<std::string, std::string>> verdicts(const CommandResult& ran) const {
        if (ran.exitCode != 0 || ran.timedOut) throw std::runtime_error("the driver failed: " + ran.describe());
        std::map<std::string, std::map<std::string, std::string>> verdicts;
        std::istringstream lines(ran.out);
        std::string line;
        while (std::getline(lines, line)) {
            const std::size_t first = line.find('\t');
            const std::size_t second = line.find('\t', first + 1);
            if (first == std::string::npos || second == std::string::npos) continue;
            const auto label = labels_.find(line.substr(0, first));
            if (label == labels_.end()) continue;
            verdicts[label->second][line.substr(first + 1, second - first - 1)] = line.substr(second + 1);
        }
        return verdicts;
    }

private:
    TempDir dir_;
    std::map<std::string, std::string> labels_;  // folder -> sample label
};

// Each sample's checks came out as expected: every listed check "ok" for a valid sample, none
// "ok" for a control; `libraryChecks` only for fresh samples.
void expectVerdicts(const std::string& language, const std::vector<Sample>& samples,
                    const std::map<std::string, std::map<std::string, std::string>>& verdicts,
                    const std::vector<std::string>& libraryChecks = {},
                    const std::vector<std::string>& moreSmbChecks = {}) {  // of X-SMB-Signature
    for (const Sample& sample : samples) {
        SCOPED_TRACE(language + ", " + sample.label);
        std::vector<std::string> checks = {"webhook"};
        if (sample.signsSmb) checks.push_back("smb");
        // Like the libraries, the snippets without a timestamp check judge fresh samples only.
        if (sample.signsSmb && sample.fresh) checks.insert(checks.end(), moreSmbChecks.begin(), moreSmbChecks.end());
        if (sample.fresh) checks.insert(checks.end(), libraryChecks.begin(), libraryChecks.end());
        const auto found = verdicts.find(sample.label);
        ASSERT_NE(found, verdicts.end()) << "no verdicts";
        for (const auto& check : checks) {
            const auto verdict = found->second.find(check);
            ASSERT_NE(verdict, found->second.end()) << "no verdict for " << check;
            if (sample.expectValid) {
                EXPECT_EQ(verdict->second, "ok") << check;
            } else {
                EXPECT_NE(verdict->second, "ok") << check << " accepted a control";
            }
        }
    }
}

void expectAllLanguages(const std::vector<Sample>& base) {
    std::vector<Sample> samples;
    for (const Sample& sample : base) {
        for (Sample& variant : withControls(sample)) samples.push_back(std::move(variant));
    }
    const SnippetRun run(samples);

    const auto node = NodeVerifier::findNode();
    ASSERT_TRUE(node) << "Node.js is not installed (apt-get install nodejs)";
    expectVerdicts("Node.js", samples,
                   run.verdicts(ChildProcess::run(*node, {kDrivers + "run-snippets.cjs", run.snippetDir(),
                                                          run.samplesFile()}, kToolTimeout)),
                   {"standardwebhooks", "svix", "stripe"}, {"eachV1"});

    expectVerdicts("Python", samples,
                   run.verdicts(ChildProcess::run("python3", {kDrivers + "run_snippets.py", run.snippetDir(),
                                                              run.samplesFile()}, kToolTimeout)));

    // The two C++ snippets and the driver as one program, built the way the docs say (-lcrypto),
    // with warnings as errors.
    std::string program;
    for (const char* name : {"cpp/verify_webhook.cpp", "cpp/verify_smb.cpp"}) {
        std::ifstream in(run.file(name));
        program += std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    std::ifstream driver(kDrivers + "run_snippets.cpp");
    program += std::string((std::istreambuf_iterator<char>(driver)), std::istreambuf_iterator<char>());
    writeFile(run.file("verify.cpp"), program);
    const CommandResult built = ChildProcess::run(
        SMBHUB_CXX_COMPILER, {"-std=c++17", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-O1",
                              run.file("verify.cpp"), "-o", run.file("verify"), "-lcrypto"},
        kToolTimeout);
    ASSERT_EQ(built.exitCode, 0) << "the C++ snippets do not build: " << built.describe();
    expectVerdicts("C++", samples,
                   run.verdicts(ChildProcess::run(run.file("verify"), {run.samplesFile()}, kToolTimeout)));
}

class ReceiverDocsTest : public HubTest {
protected:
    std::map<std::string, std::string> hubOverrides() const override {
        const int port = const_cast<ReceiverDocsTest*>(this)->receiver().port();
        const std::string here = jsonQuote("127.0.0.1:" + std::to_string(port));
        return {{"plugins.enabled", "[webhook, clay]"},
                {"delivery.resolve", "{\"api.clay.com\": " + here + ", \"example.com\": " + here + "}"}};
    }

    ApiResponse createIntegration(const TestAccount& account, const std::string& provider,
                                  const std::string& targetUrl) {
        const ApiResponse created = api().post(
            "/api/integrations/webhook",
            "{\"provider\":" + jsonQuote(provider) + ",\"displayName\":\"Docs\",\"targetUrl\":" +
                jsonQuote(targetUrl) + ",\"events\":[\"lead.created\"]}",
            account.apiKey);
        if (created.status != 201) throw std::runtime_error("creating " + provider + ": " + created.describe());
        return created;
    }
};

TEST_F(ReceiverDocsTest, SnippetsVerifyRealWebhookAndClayDeliveries) {
    const TestAccount account = createAccount();
    const ApiResponse webhook = createIntegration(account, "webhook", "https://example.com/docs");
    const ApiResponse clay = createIntegration(account, "clay", kClayUrl);
    ASSERT_EQ(publish(account, "lead.created", leadsData(2)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/docs", 1, kDeliveryWait));
    ASSERT_TRUE(receiver().waitForRequests(kClayPath, 2, kDeliveryWait));

    std::vector<Sample> samples;
    samples.push_back(fromRequest("webhook delivery", webhook.string("signingSecret"),
                                  receiver().requests("/docs").front()));
    int row = 0;
    for (const auto& request : receiver().requests(kClayPath)) {
        samples.push_back(fromRequest("clay row " + std::to_string(++row), clay.string("signingSecret"), request));
    }
    expectAllLanguages(samples);
}

// During a rotation's overlap (docs/signatures.md, "Rotating the secret") each header carries two
// signatures: every snippet verifies the delivery with the new secret and with the old one.
TEST_F(ReceiverDocsTest, SnippetsVerifyDeliveriesSignedDuringARotation) {
    const TestAccount account = createAccount();
    const ApiResponse webhook = createIntegration(account, "webhook", "https://example.com/rotating");
    const ApiResponse rotated = api().post("/api/integrations/" + webhook.string("id") + "/rotate-secret", "{}",
                                           account.apiKey);
    ASSERT_EQ(rotated.status, 200) << rotated.describe();
    ASSERT_EQ(publish(account, "lead.created", leadsData(1)).status, 202);
    ASSERT_TRUE(receiver().waitForRequests("/rotating", 1, kDeliveryWait));
    const ReceivedRequest request = receiver().requests("/rotating").front();
    ASSERT_NE(request.header("webhook-signature").find(' '), std::string::npos) << "two signatures";
    expectAllLanguages({fromRequest("new secret", rotated.string("signingSecret"), request),
                        fromRequest("replaced secret", webhook.string("signingSecret"), request)});
}

TEST_F(ReceiverDocsTest, SnippetsVerifyTheTestVectorsAndTheDocumentedExamples) {
    // The vectors, as the document's table gives them.
    const DocSnippets signatures(kDocs + "signatures.md");
    for (const auto& value : {kVectorSecret, kVectorOlderSecret, kVectorBody, kVectorWebhookSignature,
                              kVectorSmbSignature}) {
        EXPECT_NE(signatures.text().find(value), std::string::npos) << "signatures.md lacks " << value;
    }
    const std::map<std::string, std::string> vectorHeaders = {
        {"webhook-id", "dlv_abc"},
        {"webhook-timestamp", "1700000000"},
        {"webhook-signature", kVectorWebhookSignature},
        {"x-smb-signature", kVectorSmbSignature}};
    std::vector<Sample> samples;
    samples.push_back({"test vector", kVectorSecret, vectorHeaders, kVectorBody, 1700000000});
    Sample older{"test vector, older secret", kVectorOlderSecret, vectorHeaders, kVectorBody, 1700000000};
    older.signsSmb = false;  // X-SMB-Signature is keyed by the whole string, so it differs
    samples.push_back(older);
    Sample late{"test vector 301 s later", kVectorSecret, vectorHeaders, kVectorBody, 1700000301};
    late.expectValid = false;
    samples.push_back(late);

    // docs/events.md's request, signed with the secret of docs/api.md's creation example.
    const std::string apiSecret =
        jsonString(parseJson(DocSnippets(kDocs + "api.md").get("example/created-integration")), "signingSecret");
    samples.push_back(fromDocumentedRequest("events.md example", apiSecret,
                                            DocSnippets(kDocs + "events.md").get("example/webhook-request")));
    // docs/providers.md's Clay row, signed with the secret of the creation shown beside it.
    const DocSnippets providers(kDocs + "providers.md");
    samples.push_back(fromDocumentedRequest(
        "providers.md Clay example", jsonString(parseJson(providers.get("example/clay-created")), "signingSecret"),
        providers.get("example/clay-request")));
    expectAllLanguages(samples);
}

TEST_F(ReceiverDocsTest, ConvertingAnOlderSecretGivesTheStandardForm) {
    const SnippetRun run({});
    const auto node = NodeVerifier::findNode();
    ASSERT_TRUE(node);
    for (const auto& [input, expected] : std::vector<std::pair<std::string, std::string>>{
             {kVectorOlderSecret, kVectorSecret}, {kVectorSecret, kVectorSecret}}) {
        const CommandResult byNode = ChildProcess::run(
            *node, {kDrivers + "run-snippets.cjs", run.snippetDir(), "convert", input}, kToolTimeout);
        EXPECT_EQ(byNode.out, expected + "\n") << byNode.describe();
        const CommandResult byPython = ChildProcess::run(
            "python3", {kDrivers + "run_snippets.py", run.snippetDir(), "convert", input}, kToolTimeout);
        EXPECT_EQ(byPython.out, expected + "\n") << byPython.describe();
    }
}

}  // namespace
}  // namespace smbhub::test
