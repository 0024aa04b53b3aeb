#include "api/Router.h"

#include <sstream>

namespace smbhub::api {
namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(path);
    for (std::string segment; std::getline(in, segment, '/');) {
        if (!segment.empty()) out.push_back(segment);
    }
    return out;
}

// Number of literal segments matched, or -1 when the route does not fit the path.
int score(const Route& route, const std::vector<std::string>& path,
          std::map<std::string, std::string>& params) {
    if (route.segments.size() != path.size()) return -1;
    int literals = 0;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string& s = route.segments[i];
        if (!s.empty() && s[0] == ':') {
            found[s.substr(1)] = path[i];
        } else if (s == path[i]) {
            ++literals;
        } else {
            return -1;
        }
    }
    params = std::move(found);
    return literals;
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Access access, Handler handler) {
    routes_.push_back(Route{method, split(pattern), access, std::move(handler), routes_.size()});
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
    const std::vector<std::string> segments = split(path);
    // The routes that fit the path most literally name the resource; the method picks among
    // them, and a method none of them takes is 405 (not a less literal route's match).
    int bestPathScore = -1;
    std::vector<std::pair<const Route*, std::map<std::string, std::string>>> fitting;
    for (const Route& route : routes_) {
        std::map<std::string, std::string> params;
        const int s = score(route, segments, params);
        if (s < 0 || s < bestPathScore) continue;
        if (s > bestPathScore) fitting.clear();
        bestPathScore = s;
        fitting.emplace_back(&route, std::move(params));
    }
    RouteMatch best;
    best.pathMatched = bestPathScore >= 0;
    for (auto& [route, params] : fitting) {
        if (best.allowed.find(route->method) == std::string::npos) {
            best.allowed += (best.allowed.empty() ? "" : ", ") + route->method;
        }
        if (route->method == method && !best.route) {
            best.route = route;
            best.params = std::move(params);
        }
    }
    return best;
}

std::vector<std::string> Router::describe() const {
    std::vector<std::string> out;
    for (const Route& route : routes_) {
        std::string pattern;
        for (const auto& segment : route.segments) pattern += "/" + segment;
        out.push_back(route.method + " " + (pattern.empty() ? "/" : pattern));
    }
    return out;
}

}  // namespace smbhub::api
