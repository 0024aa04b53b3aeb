// Exponential backoff with jitter: how long to wait before trying something again after it
// failed `failures` times in a row. The delay doubles from `first` up to `cap`, and a random
// share of up to half of it is taken off ("equal jitter"), so that many processes that failed
// at the same moment do not all try again at the same moment, while the delay never exceeds
// `cap`: 250 ms doubling to 5 s gives 125–250 ms, 250–500 ms, 0.5–1 s, 1–2 s, 2–4 s, 2.5–5 s, …
//
// A pure function: the caller passes the random unit (core::randomUnit() in the hub).
//
// Thread-safety: a pure function, safe from any thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace smbhub::core {

inline std::chrono::milliseconds backoffDelay(std::chrono::milliseconds first, std::chrono::milliseconds cap,
                                              int failures, double randomUnit) {
    std::chrono::milliseconds delay = std::min(first, cap);
    for (int i = 1; i < failures && delay < cap; ++i) delay = std::min(delay * 2, cap);
    const double unit = std::clamp(randomUnit, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(delay.count()) * (1.0 - unit / 2)));
}

}  // namespace smbhub::core
