// Whether this build (the tests and the smb-hub they start: one SMBHUB_SANITIZE for the whole
// tree) runs under AddressSanitizer. Its allocator keeps freed memory in quarantine and adds
// redzones, so a process's resident size says nothing about its own growth there; tests that
// bound memory say so and leave that bound to the ordinary build (LeakSanitizer covers leaks).
//
// Thread-safety: constants only, thread-safe.
#pragma once

namespace smbhub::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitized = true;
#else
inline constexpr bool kAddressSanitized = false;
#endif
#else
inline constexpr bool kAddressSanitized = false;
#endif

}  // namespace smbhub::test
