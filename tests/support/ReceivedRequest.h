// One HTTP request as the HTTPS receiver saw it: the raw body byte for byte (signatures are
// checked over it), the headers in a case-insensitive collection, and which connection it came
// on (to tell a reused keep-alive connection from a new one).
//
// Thread-safety: a value.
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
    int answeredStatus = 0;  // the status the receiver's behaviour chose for it (0: hung up, or stalled)
    int connection = 0;      // 1, 2, … in the order the receiver accepted connections
    int onConnection = 0;    // 1 for the first request on its connection, 2 for the next, …
    bool bodyRead = true;    // false when the receiver answered from the head alone

    // The header's value, or "" when absent (names are case-insensitive).
    std::string header(const std::string& name) const { return headers.get(name, ""); }
};

}  // namespace smbhub::test
