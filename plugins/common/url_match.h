// Checks the providers use to recognise their services' URLs.
//
// They read the hub's parsed sdk::TargetUrl: the host is already lower case, and the path keeps
// the percent-encoding the user wrote, so an encoded "%2F" is never mistaken for a separator and
// an encoded character simply fails the character checks below. Scheme and network rules are
// the hub's (it may allow http in development); providers only judge host, port and path.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <string_view>
#include <vector>

#include <smbhub/sdk/provider.h>

namespace smbhub::providers {

// "/hooks/catch/1/a/" -> {"hooks", "catch", "1", "a", ""}: a trailing slash shows as a final
// empty segment and "//" as an empty one in between, so callers can refuse or allow them.
std::vector<std::string_view> pathSegments(std::string_view path);

// "hook.eu1.make.com" -> {"hook", "eu1", "make", "com"}.
std::vector<std::string_view> hostLabels(std::string_view host);

bool isDigits(std::string_view text);        // non-empty, 0-9 only
bool isAlphanumeric(std::string_view text);  // non-empty, ASCII letters and digits only

// The hosted services listen on the standard https port only; any other port cannot reach them.
bool usesStandardPort(const sdk::TargetUrl& url);

}  // namespace smbhub::providers
