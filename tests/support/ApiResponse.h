// One response from the hub's REST API: status, headers (case-insensitive), raw body and the body
// parsed as JSON when it is JSON. `transportError` is set instead when there was no response at
// all (refused, reset, timed out), with status 0.
//
// Thread-safety: a value.
#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/NameValueCollection.h>

namespace smbhub::test {

struct ApiResponse {
    int status = 0;
    Poco::Net::NameValueCollection headers;
    std::string body;
    Poco::Dynamic::Var json;  // empty when the body is not JSON
    std::string transportError;

    std::string header(const std::string& name) const { return headers.get(name, ""); }
    // Shorthands for JsonText's readers on `json`.
    std::string string(const std::string& path) const;
    long long integer(const std::string& path) const;
    // The SPEC §6 error object's parts, "" when absent.
    std::string errorCode() const { return string("error.code"); }
    std::string errorMessage() const { return string("error.message"); }
    std::string errorField() const { return string("error.field"); }
    // "<status> <body>" (or the transport error) — for assertion messages.
    std::string describe() const;
};

}  // namespace smbhub::test
