// The hub's one source of randomness and of identifiers: OpenSSL's CSPRNG.
//
// Ids look like "evt_2k9v…": a type prefix and 20 random bytes in base32 (lower case, no
// padding), unguessable so that they can appear in URLs without revealing anything.
//
// Thread-safety: safe from any thread (OpenSSL 3's RAND_bytes is).
#pragma once

#include <string>
#include <string_view>

namespace smbhub::core {

std::string randomBytes(std::size_t count);

// "<prefix>_<base32 of 20 random bytes>", e.g. newId("int").
std::string newId(std::string_view prefix);

// "<prefix>_" + 32 characters that sort by creation time: 10 for the Unix time in milliseconds,
// 22 random (110 bits: as unguessable as anyone needs), in an alphabet in ASCII order
// ("234567a…z"), e.g. newSortableId("dlv"). For the rows written at the rate of deliveries
// (events, deliveries, attempts): an index on such ids grows at its right edge, so a batch of
// inserts dirties a few pages instead of one page per row — less to write to the database's log on
// every commit. Same length and characters as newId(): clients cannot tell them apart.
std::string newSortableId(std::string_view prefix);

// A secret token: prefix + base64url of `bytes` random bytes (no padding).
std::string newToken(std::string_view prefix, std::size_t bytes);

// Uniform double in [0, 1), for jitter.
double randomUnit();

}  // namespace smbhub::core
