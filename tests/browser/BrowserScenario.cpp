#include "BrowserScenario.h"

#include <Poco/JSON/Parser.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "support/ChildProcess.h"
#include "support/NodeVerifier.h"

namespace smbhub::test {
namespace {

std::string browserDir() { return std::string(SMBHUB_SOURCE_DIR) + "/tests/browser"; }

std::string findOnPath(const std::vector<std::string>& names) {
    const char* path = std::getenv("PATH");
    const std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    for (const auto& name : names) {
        std::istringstream in(dirs);
        for (std::string dir; std::getline(in, dir, ':');) {
            const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        }
    }
    return "";
}

std::string chromium() { return findOnPath({"chromium", "chromium-browser"}); }

}  // namespace

std::string ScenarioOutcome::string(const std::string& name) const {
    return result && result->has(name) ? result->getValue<std::string>(name) : std::string();
}

std::string BrowserScenario::artifactDir() { return SMBHUB_BROWSER_ARTIFACTS; }

std::string BrowserScenario::missingTools() {
    std::string missing;
    if (!NodeVerifier::findNode()) missing += " Node.js (package nodejs);";
    if (chromium().empty()) missing += " Chromium (package chromium);";
    if (::access((browserDir() + "/node_modules/playwright-core/package.json").c_str(), R_OK) != 0) {
        missing += " playwright-core (npm ci in tests/browser);";
    }
    return missing.empty() ? "" : "the browser tests need" + missing + " scripts/install-deps.sh installs them";
}

ScenarioOutcome BrowserScenario::run(const std::string& name, const std::map<std::string, std::string>& env,
                                     std::chrono::milliseconds timeout) {
    ScenarioOutcome outcome;
    if (const std::string missing = missingTools(); !missing.empty()) {
        outcome.output = missing;
        return outcome;
    }
    std::map<std::string, std::string> all = env;
    all["CHROMIUM"] = chromium();
    all["ARTIFACT_DIR"] = artifactDir();
    const CommandResult ran = ChildProcess::run(*NodeVerifier::findNode(),
                                                {browserDir() + "/scenarios/" + name + ".mjs"}, timeout, all,
                                                browserDir());
    outcome.output = "node scenarios/" + name + ".mjs: " + ran.describe() + "\nstdout:\n" + ran.out +
                     "\nstderr:\n" + ran.err;
    const auto at = ran.out.rfind("RESULT ");
    if (ran.exitCode != 0 || ran.timedOut || at == std::string::npos) return outcome;
    const std::string line = ran.out.substr(at + 7, ran.out.find('\n', at) - at - 7);
    try {
        outcome.result = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        outcome.passed = true;
    } catch (const std::exception& e) {
        outcome.output += "\n(the RESULT line is not a JSON object: " + std::string(e.what()) + ")";
    }
    return outcome;
}

}  // namespace smbhub::test
