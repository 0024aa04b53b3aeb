#include "support/TestCertificates.h"

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "support/ChildProcess.h"

namespace smbhub::test {
namespace {

constexpr auto kOpensslTimeout = std::chrono::seconds(30);

void openssl(const std::vector<std::string>& args) {
    const CommandResult result = ChildProcess::run("openssl", args, kOpensslTimeout);
    if (result.exitCode != 0) {
        std::string command = "openssl";
        for (const auto& arg : args) command += " " + arg;
        throw std::runtime_error("TestCertificates: `" + command + "` failed: " +
                                 result.describe());
    }
}

std::string subjectAltName(const std::vector<std::string>& names) {
    std::string san = "IP:127.0.0.1";
    for (const auto& name : names) san += ",DNS:" + name;
    return san;
}

}  // namespace

std::vector<std::string> TestCertificates::standardNames() {
    return {"localhost",        "receiver.test",       "hooks.zapier.com",
            "hook.eu1.make.com", "hook.us1.make.com",  "api.clay.com",
            "eo1.m.pipedream.net", "n8n.example.com",  "example.com"};
}

TestCertificates::TestCertificates(const std::vector<std::string>& extraNames)
    : dir_("smbhub-pki"), names_(standardNames()) {
    names_.insert(names_.end(), extraNames.begin(), extraNames.end());
    caFile_ = dir_.file("ca.pem");
    certFile_ = dir_.file("server.pem");
    keyFile_ = dir_.file("server.key");
    const std::string caKey = dir_.file("ca.key");
    const std::string request = dir_.file("server.csr");
    const std::string extensions = dir_.file("server.ext");

    // P-256 keys: generating RSA keys would cost a noticeable part of every test run.
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", caKey, "-out", caFile_, "-days", "7", "-subj",
             "/CN=smb-hub test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", keyFile_, "-out", request, "-subj", "/CN=localhost"});
    {
        std::ofstream ext(extensions);
        ext << "basicConstraints=critical,CA:FALSE\n"
            << "keyUsage=critical,digitalSignature,keyEncipherment\n"
            << "extendedKeyUsage=serverAuth\n"
            << "subjectKeyIdentifier=hash\n"
            << "authorityKeyIdentifier=keyid\n"
            << "subjectAltName=" << subjectAltName(names_) << "\n";
        if (!ext) throw std::runtime_error("TestCertificates: cannot write " + extensions);
    }
    openssl({"x509", "-req", "-in", request, "-CA", caFile_, "-CAkey", caKey, "-CAcreateserial",
             "-out", certFile_, "-days", "7", "-extfile", extensions});
}

}  // namespace smbhub::test
