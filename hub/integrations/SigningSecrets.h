// The secrets an integration's deliveries are signed with at a given moment (SPEC §15): its
// signing secret and, for the overlap after a rotation, the secret it replaced — newest first,
// the order both signature headers list them in. The previous secret stops signing the moment
// its expiry passes, whether or not anything reloaded the integration since.
//
// A value; thread-safe to read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace smbhub::integrations {

class SigningSecrets {
public:
    SigningSecrets() = default;
    explicit SigningSecrets(std::string current) : secrets_{std::move(current), std::string()} {}
    SigningSecrets(std::string current, std::string previous, std::int64_t previousExpiresAt)
        : secrets_{std::move(current), std::move(previous)}, previousExpiresAt_(previousExpiresAt) {}

    // The secrets to sign with at `nowMillis`: the current one, then the previous one while it
    // has not expired. Valid as long as this object.
    std::span<const std::string> at(std::int64_t nowMillis) const {
        return {secrets_.data(), previousActiveAt(nowMillis) ? 2u : 1u};
    }
    bool previousActiveAt(std::int64_t nowMillis) const {
        return !secrets_[1].empty() && nowMillis < previousExpiresAt_;
    }
    const std::string& current() const { return secrets_[0]; }

private:
    std::array<std::string, 2> secrets_;  // current, previous ("" when none)
    std::int64_t previousExpiresAt_ = 0;
};

}  // namespace smbhub::integrations
