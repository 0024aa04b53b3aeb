// Appended by ReceiverDocsTest to the two C++ snippets of docs/signatures.md (verify_webhook.cpp,
// verify_smb.cpp) and compiled with them: runs both verifiers over the samples the test wrote.
//   ./run_snippets <samples file>   prints "<sample dir>\t<check>\t<ok|refused>"
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    std::istringstream samples(readFile(argv[1]));
    std::string dir;
    while (std::getline(samples, dir)) {
        if (dir.empty()) continue;
        const auto field = [&](const char* name) { return readFile(dir + "/" + name); };
        const std::int64_t now = std::stoll(field("now"));
        const bool webhook =
            verifyWebhookSignature(field("webhook-id"), field("webhook-timestamp"),
                                   field("webhook-signature"), field("body"), field("secret"), now);
        const bool smb = verifySmbSignature(field("x-smb-signature"), field("body"), field("secret"), now);
        std::cout << dir << "\twebhook\t" << (webhook ? "ok" : "refused") << "\n"
                  << dir << "\tsmb\t" << (smb ? "ok" : "refused") << "\n";
    }
    return 0;
}
