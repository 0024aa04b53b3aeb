// Maps "METHOD /path/:param" to handlers. A path that matches no route is 404; a path that
// matches with another method is 405. Literal segments win over parameters, so
// /api/integrations/providers is not taken for /api/integrations/:id.
//
// Thread-safety: add() only while the API is being built, before it serves; match() and describe()
// are const and then safe from any thread at once. Route and RouteMatch are values.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/ApiRequest.h"

namespace smbhub::api {

// Who may call a route.
enum class Access {
    Public,             // no credentials (OAuth callbacks: the state is the credential)
    AnyCaller,          // the admin token or any account
    PaidAccount,        // an active account on a paid plan (SPEC §5)
    AdminOrPaidAccount, // the admin token, or a paid account acting for itself
    Admin,              // the admin token only
};

using Handler = std::function<void(ApiRequest&)>;

struct Route {
    std::string method;
    std::vector<std::string> segments;  // ":name" = parameter
    Access access;
    Handler handler;
    std::size_t index = 0;  // its place in describe()'s list (metrics label it by its template)
};

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool pathMatched = false;  // some route had this path (for 405)
    std::string allowed;       // the methods that path takes, "GET, POST" (for 405's Allow)
};

class Router {
public:
    void add(const std::string& method, const std::string& pattern, Access access, Handler handler);
    RouteMatch match(const std::string& method, const std::string& path) const;
    // Every route as "METHOD /pattern" (for the API description and its tests).
    std::vector<std::string> describe() const;

private:
    std::vector<Route> routes_;
};

}  // namespace smbhub::api
