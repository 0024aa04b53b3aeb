// One HTTP request as the HTTPS receiver saw it: the raw body byte for byte (signatures are
// checked over it) and the headers in a case-insensitive collection.
#pragma once

#include <chrono>
#include <string>

#include <Poco/Net/NameValueCollection.h>

namespace smbhub::test {

struct ReceivedRequest {
    std::string method;
    std::string path;   // without the query
    std::string query;  // without the '?'
    Poco::Net::NameValueCollection headers;
    std::string body;
    std::chrono::steady_clock::time_point arrivedAt;       // for measuring intervals
    std::chrono::system_clock::time_point arrivedAtWall;   // for comparing with timestamps
    int answeredStatus = 0;  // the status the receiver's behaviour chose for it

    // The header's value, or "" when absent (names are case-insensitive).
    std::string header(const std::string& name) const { return headers.get(name, ""); }
};

}  // namespace smbhub::test
