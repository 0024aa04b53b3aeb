/* Compiled as C99 only: abi.h is the whole C contract and must stand on its own in C, without
 * C++ and without the rest of the SDK. */
#include <smbhub/sdk/abi.h>

#if !defined(__STDC_VERSION__) || __STDC_VERSION__ != 199901L
#error "this check must be compiled as C99"
#endif

/* The version is a constant of the header, usable where C needs constant expressions. */
typedef char abi_major_is_2[SMBHUB_SDK_ABI_MAJOR == 2 ? 1 : -1];

size_t smbhub_c99_check_descriptor_size(void) { return sizeof(smbhub_plugin_descriptor); }
