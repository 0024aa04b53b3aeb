// The rows the hub keeps, as plain values shared by the API, the delivery engine and the store.
// Times are Unix milliseconds (core/Clock.h).
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/Statuses.h"

namespace smbhub::store {

struct Account {
    std::string id;  // acc_…
    std::string name;
    std::string plan;
    std::string status = "active";  // active | suspended
    std::int64_t createdAt = 0;
};

// An account's API key as it may be shown: never the key itself (only its SHA-256 is stored).
struct ApiKey {
    std::string id;  // key_…
    std::string accountId;
    std::string prefix;  // the key's first characters ("smbk_AbC123"), to tell keys apart
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> lastUsedAt;  // to the minute (see AccountStore::findByApiKeyHash)
};

struct Integration {
    std::string id;  // int_…
    std::string accountId;
    std::string provider;
    std::string kind;                 // webhook | oauth
    std::string displayName;
    std::string status = "active";    // active | paused | disabled
    std::string statusReason;         // why disabled; empty otherwise
    std::string targetUrl;
    std::vector<std::string> events;
    std::string settingsJson = "{}";  // non-secret settings, returned by the API
    std::string secretSettingsSealed; // SecretBox-sealed JSON object of secret settings, or ""
    std::string signingSecretSealed;  // SecretBox-sealed signing secret
    // The secret a rotation replaced (sealed like the current one), still signing beside it
    // until previousSecretExpiresAt (SPEC §15); "" / 0 when there is none.
    std::string previousSigningSecretSealed;
    std::int64_t previousSecretExpiresAt = 0;
    int rateLimitPerSecond = 0;       // requests per second the hub may send it; 0 = no limit
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> lastDeliveryAt;
    std::int64_t requestsSent = 0;    // requests the destination accepted, all time
};

// An event as published: who it is for, what it is, and its `data` object as JSON text. The
// envelope a receiver gets is built from these fields (events/Envelope).
struct Event {
    std::string id;  // evt_…
    std::string accountId;
    std::string type;
    std::int64_t createdAt = 0;
    bool test = false;
    std::string dataJson = "{}";
};

// One event to one integration. Attempts of it are rows of Attempt.
struct Delivery {
    std::string id;  // dlv_…
    std::string eventId;
    std::string integrationId;
    std::string accountId;
    DeliveryStatus status = DeliveryStatus::Pending;
    int attempts = 0;                // attempts made so far
    int scheduleIndex = 0;           // retry_schedule entries used so far
    int partsDone = 0;               // requests of a multi-request rendering already accepted
    std::int64_t nextAttemptAt = 0;
    std::int64_t createdAt = 0;
    // Who holds it and until when (a claim, or the publishing process handing it to its own
    // engine); "" / 0 when nobody does.
    std::string leaseOwner;
    std::int64_t leaseUntil = 0;
};

struct Attempt {
    std::string id;  // att_…
    std::string deliveryId;
    std::string integrationId;
    std::string eventId;
    std::string eventType;
    int attempt = 1;
    AttemptStatus status = AttemptStatus::Failed;
    std::optional<int> responseStatus;
    std::optional<std::string> responseBody;  // first 1 KiB
    std::optional<std::string> error;
    std::int64_t durationMs = 0;
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> nextAttemptAt;
};

// A pending OAuth authorization: the hash of its state, whose account and provider it is for.
struct OAuthState {
    std::string stateHash;
    std::string accountId;
    std::string provider;
    std::string env;
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0;
};

struct OAuthConnection {
    std::string id;  // oac_…
    std::string accountId;
    std::string provider;
    std::string env;
    std::int64_t createdAt = 0;
};

// How an integration's deliveries are doing (SPEC §15), read from counters kept as outcomes are
// recorded and a bounded sample of recent attempts: never by scanning its delivery log.
struct DeliveryStats {
    // Deliveries by their state now. `cancelled` stays 0 while the integration exists (only
    // deleting it cancels deliveries); kept because clients read it.
    std::int64_t total = 0;
    std::int64_t pending = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t cancelled = 0;

    // The last 24 hours (the current hour and the 23 before it): deliveries that succeeded and
    // that failed for good in that time, and those created in it that are still pending.
    struct Window {
        std::int64_t succeeded = 0;
        std::int64_t failed = 0;
        std::int64_t pending = 0;
    };
    Window last24h;
    // Durations of the latest attempts of the last 24 hours (at most kDurationSample).
    std::optional<std::int64_t> p50Ms;
    std::optional<std::int64_t> p95Ms;

    std::optional<std::int64_t> lastSuccessAt;
    // The latest attempt that did not succeed.
    struct LastError {
        std::int64_t at = 0;
        std::string message;
        std::optional<int> responseStatus;
    };
    std::optional<LastError> lastError;

    // succeeded / (succeeded + failed) of the last 24 hours; nullopt when none finished.
    std::optional<double> successRate() const {
        const std::int64_t done = last24h.succeeded + last24h.failed;
        if (done == 0) return std::nullopt;
        return static_cast<double>(last24h.succeeded) / static_cast<double>(done);
    }

    static constexpr int kDurationSample = 1000;
};

}  // namespace smbhub::store
