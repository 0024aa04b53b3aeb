// Runs one browser scenario (tests/browser/scenarios/<name>.mjs) with Node.js: Debian's
// Chromium driven headless by playwright-core against the hub the test started. The scenario
// gets the hub's address and an API key (and any other values) in its environment, drives the
// page as a person would, saves screenshots into the build tree (SMBHUB_BROWSER_ARTIFACTS),
// and ends with one line `RESULT {json}` of what it saw (e.g. the signing secrets the page
// showed) for the C++ test to check against the receiver. Stateless, thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <string>

namespace smbhub::test {

struct ScenarioOutcome {
    bool passed = false;
    Poco::JSON::Object::Ptr result;  // the RESULT object (empty when the scenario failed)
    std::string output;              // everything node printed, for assertion messages

    std::string string(const std::string& name) const;
};

class BrowserScenario {
public:
    // Where screenshots go (in the build tree).
    static std::string artifactDir();
    // Why the browser tests cannot run here (no node, no chromium, no playwright-core), or "".
    static std::string missingTools();
    // Runs scenarios/<name>.mjs with `env` added (HUB_URL, API_KEY, …).
    static ScenarioOutcome run(const std::string& name, const std::map<std::string, std::string>& env,
                               std::chrono::milliseconds timeout = std::chrono::minutes(4));
};

}  // namespace smbhub::test
