/* A library shaped like an ABI 1 plugin (SDK 0.1, before abi.h was plain C): the same entry
 * point, returning the ABI 1 descriptor, whose `create` gave the hub a C++ Provider object and
 * whose build signature had to match the hub's compiler. The hub must refuse it with one line
 * from the descriptor's frozen header alone; calling anything of it would be a crash, and is
 * one here (abort), so a hub that tried would fail its test. Deliberately does not include
 * abi.h: the ABI 1 layout is written out as it was. */
#include <stdint.h>
#include <stdlib.h>

typedef struct abi1_descriptor {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char* build_signature;
    const char* plugin_id;
    const char* plugin_version;
    void* (*create)(void);
    void (*destroy)(void*);
} abi1_descriptor;

static void* create(void) { abort(); }

static void destroy(void* provider) {
    (void)provider;
    abort();
}

static const abi1_descriptor descriptor = {sizeof(abi1_descriptor),
                                           1,
                                           0,
                                           "gcc-12;libstdc++-cxx11abi1",
                                           "abi-one",
                                           "1.0.0",
                                           create,
                                           destroy};

__attribute__((visibility("default"))) const abi1_descriptor* smbhub_plugin_entry(void) {
    return &descriptor;
}
