// Process-wide set-up that the support classes need before they touch sockets: writing to a
// connection the peer has closed must be an error value, not a SIGPIPE that ends the test run;
// and Poco's TLS layer is initialised once. Both are idempotent and thread-safe.
#pragma once

namespace smbhub::test {

void ignoreSigpipe();
void initializeTls();

}  // namespace smbhub::test
