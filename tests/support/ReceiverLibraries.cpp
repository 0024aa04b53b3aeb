#include "support/ReceiverLibraries.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/ChildProcess.h"
#include "support/NodeVerifier.h"
#include "support/TempDir.h"

namespace smbhub::test {
namespace {

const std::string kPackageDir = std::string(SMBHUB_SOURCE_DIR) + "/tests/receivers";

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

void requireInstalled() {
    for (const auto& name : ReceiverLibraries::names()) {
        const std::string manifest = kPackageDir + "/node_modules/" + name + "/package.json";
        if (::access(manifest.c_str(), R_OK) != 0) {
            throw std::runtime_error("the npm package " + name + " is not installed in " + kPackageDir +
                                     "; run scripts/install-deps.sh (npm ci there)");
        }
    }
}

}  // namespace

std::string LibraryVerdicts::outcome(const std::string& key) const {
    const auto found = outcomes.find(key);
    return found == outcomes.end() ? "(no result)" : found->second;
}

std::string LibraryVerdicts::problems() const {
    std::string problems;
    for (const auto& name : ReceiverLibraries::names()) {
        if (outcome(name) != "ok") problems += name + " refused it: " + outcome(name) + "; ";
        for (const char* control : {":tamperedBody", ":otherSecret"}) {
            if (outcome(name + control) == "ok") problems += name + " accepted" + control + "; ";
        }
    }
    return problems;
}

const std::vector<std::string>& ReceiverLibraries::names() {
    static const std::vector<std::string> names = {"standardwebhooks", "svix", "stripe"};
    return names;
}

std::vector<LibraryVerdicts> ReceiverLibraries::verify(
    const std::vector<DeliveryToVerify>& deliveries) {
    const auto node = NodeVerifier::findNode();
    if (!node) throw std::runtime_error("Node.js is not installed (apt-get install nodejs)");
    requireInstalled();

    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& delivery : deliveries) {
        Poco::JSON::Object::Ptr headers = new Poco::JSON::Object;
        for (const auto& [name, value] : delivery.request.headers) headers->set(name, value);
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
        item->set("label", delivery.label);
        item->set("secret", delivery.secret);
        item->set("webhookSecret", delivery.webhookSecret.empty() ? delivery.secret : delivery.webhookSecret);
        item->set("headers", headers);
        item->set("bodyBase64", base64(delivery.request.body));
        list->add(item);
    }
    Poco::JSON::Object input;
    input.set("deliveries", list);
    TempDir dir("smbhub-receiver-libraries");
    {
        std::ofstream out(dir.file("deliveries.json"), std::ios::binary);
        input.stringify(out);
        if (!out) throw std::runtime_error("ReceiverLibraries: cannot write the deliveries");
    }

    const CommandResult ran =
        ChildProcess::run(*node, {kPackageDir + "/verify-deliveries.mjs", dir.file("deliveries.json")},
                          std::chrono::seconds(60));
    if (ran.exitCode != 0 || ran.timedOut) {
        throw std::runtime_error("verify-deliveries.mjs failed: " + ran.describe());
    }
    std::vector<LibraryVerdicts> verdicts;
    const auto output = Poco::JSON::Parser().parse(ran.out).extract<Poco::JSON::Object::Ptr>();
    const auto results = output->getArray("results");
    for (std::size_t i = 0; i < results->size(); ++i) {
        const auto result = results->getObject(static_cast<unsigned>(i));
        LibraryVerdicts verdict;
        for (const auto& [key, value] : *result) {
            if (key == "label") {
                verdict.label = value.toString();
            } else {
                verdict.outcomes[key] = value.toString();
            }
        }
        verdicts.push_back(std::move(verdict));
    }
    if (verdicts.size() != deliveries.size()) {
        throw std::runtime_error("verify-deliveries.mjs answered for " + std::to_string(verdicts.size()) +
                                 " of " + std::to_string(deliveries.size()) + " requests: " + ran.out);
    }
    return verdicts;
}

}  // namespace smbhub::test
