// A well-formed shared library that is not a plugin: it lacks smbhub_plugin_entry.
extern "C" __attribute__((visibility("default"))) int smbhub_not_a_plugin(void) {
    return 42;
}
