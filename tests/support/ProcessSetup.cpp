#include "support/ProcessSetup.h"

#include <signal.h>

#include <mutex>

#include <Poco/Net/NetSSL.h>

namespace smbhub::test {

void ignoreSigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

void initializeTls() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace smbhub::test
