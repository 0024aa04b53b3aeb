/* A library whose descriptor claims an ABI the hub does not speak: FOREIGN_ABI_MAJOR and
 * FOREIGN_ABI_MINOR are set by its target (99.0: another major; 2.7: a minor newer than the
 * hub's). The SDK's own version constants cannot be overridden from outside, so the descriptor
 * is written by hand, in C, as a foreign library's would be. The hub must refuse it from the
 * descriptor alone: should it ever create the provider, the factory says so in the hub's log. */
#include <smbhub/sdk/abi.h>

#include <string.h>

#if !defined(FOREIGN_ABI_MAJOR) || !defined(FOREIGN_ABI_MINOR) || !defined(FOREIGN_PLUGIN_ID)
#error "FOREIGN_ABI_MAJOR, FOREIGN_ABI_MINOR and FOREIGN_PLUGIN_ID must be set by the target"
#endif

static smbhub_result refused(const smbhub_reply* reply) {
    static const char message[] = "a refused plugin's factory was called";
    smbhub_str text;
    text.data = message;
    text.size = strlen(message);
    reply->fail(reply->context, text);
    return SMBHUB_FAILED;
}

static smbhub_result create(void** instance, const smbhub_reply* reply) {
    *instance = NULL;
    return refused(reply);
}

static void destroy(void* instance) { (void)instance; }

static smbhub_result describe(void* instance, const smbhub_reply* reply) {
    (void)instance;
    return refused(reply);
}

static smbhub_result validate(void* instance, const smbhub_integration_input* input,
                              const smbhub_reply* reply) {
    (void)instance;
    (void)input;
    return refused(reply);
}

static smbhub_result render(void* instance, const smbhub_event* event,
                            const smbhub_integration* integration, const smbhub_reply* reply) {
    (void)instance;
    (void)event;
    (void)integration;
    return refused(reply);
}

static const smbhub_provider_functions functions = {
    sizeof(smbhub_provider_functions), 0, create, destroy, describe, validate, render, NULL, NULL,
    NULL};

static const smbhub_plugin_descriptor descriptor = {sizeof(smbhub_plugin_descriptor),
                                                    FOREIGN_ABI_MAJOR,
                                                    FOREIGN_ABI_MINOR,
                                                    0,
                                                    FOREIGN_PLUGIN_ID,
                                                    "9.9.9",
                                                    &functions};

SMBHUB_PLUGIN_EXPORT const smbhub_plugin_descriptor* smbhub_plugin_entry(void) {
    return &descriptor;
}
