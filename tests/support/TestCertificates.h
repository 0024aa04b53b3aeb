// A throw-away PKI for one test run: a CA and a server certificate it signed, in a temp dir.
//
// The server certificate's subjectAltName covers localhost, 127.0.0.1 (as an IP), the provider
// host names the hub's plugins expect (hooks.zapier.com, hook.eu1.make.com, …) and any extra
// names given, so the HTTPS receiver can pose as any of them while the hub verifies TLS against
// the CA alone (delivery.ca_file). Made with the `openssl` command-line tool.
//
// Thread-safety: immutable after construction, so safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "support/TempDir.h"

namespace smbhub::test {

class TestCertificates {
public:
    explicit TestCertificates(const std::vector<std::string>& extraNames = {});

    const std::string& caFile() const { return caFile_; }      // PEM, the CA certificate
    const std::string& certFile() const { return certFile_; }  // PEM, the server certificate
    const std::string& keyFile() const { return keyFile_; }    // PEM, the server's private key
    const std::vector<std::string>& names() const { return names_; }

    // The DNS names every instance covers, besides 127.0.0.1.
    static std::vector<std::string> standardNames();

private:
    TempDir dir_;
    std::vector<std::string> names_;
    std::string caFile_;
    std::string certFile_;
    std::string keyFile_;
};

}  // namespace smbhub::test
