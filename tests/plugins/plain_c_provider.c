/* A provider written in plain C against abi.h alone: no C++, no SDK adapter. It proves that the
 * C contract is complete on its own, and shows a C author the ownership rules at work: the hub's
 * arguments are read in place during the call, the answers are plugin-owned buffers handed to
 * reply functions (the hub copies them) and freed right after, and the instance is the plugin's
 * own, released in `destroy`.
 *
 * Provider "plain-c": accepts https targets whose path starts with /c/; delivers the hub's
 * envelope wrapped as {"wrappedBy":"plain-c","event":<envelope>}, with one extra header whose
 * name is the operator's `plugins.settings.plain-c.label_header` (default X-Plain-C-Label) and
 * whose value is the integration's optional `label` setting ("none" without one). `interpret`
 * and `oauth_start` are left out (NULL): the hub's defaults apply. */
#include <smbhub/sdk/abi.h>

#include <stdlib.h>
#include <string.h>

typedef struct plain_c_instance {
    char* label_header; /* NUL-terminated, malloc'ed: the operator's setting or the default */
} plain_c_instance;

static smbhub_str str(const char* text) {
    smbhub_str out;
    out.data = text;
    out.size = strlen(text);
    return out;
}

static int equals(smbhub_str text, const char* literal) {
    const size_t size = strlen(literal);
    return text.size == size && (size == 0 || memcmp(text.data, literal, size) == 0);
}

static int starts_with(smbhub_str text, const char* prefix) {
    const size_t size = strlen(prefix);
    return text.size >= size && memcmp(text.data, prefix, size) == 0;
}

static smbhub_result fail(const smbhub_reply* reply, const char* message) {
    reply->fail(reply->context, str(message));
    return SMBHUB_FAILED;
}

static char* copy_text(const char* data, size_t size) {
    char* out = malloc(size + 1);
    if (!out) return NULL;
    if (size > 0) memcpy(out, data, size);
    out[size] = '\0';
    return out;
}

static smbhub_result create(void** instance, const smbhub_reply* reply) {
    plain_c_instance* self = malloc(sizeof *self);
    if (!self) return fail(reply, "plain-c: out of memory");
    self->label_header = copy_text("X-Plain-C-Label", strlen("X-Plain-C-Label"));
    if (!self->label_header) {
        free(self);
        return fail(reply, "plain-c: out of memory");
    }
    *instance = self;
    return SMBHUB_OK;
}

static void destroy(void* instance) {
    plain_c_instance* self = instance;
    free(self->label_header);
    free(self);
}

/* The settings are the hub's and gone after this call: keep a copy of what is needed. */
static smbhub_result configure(void* instance, const smbhub_pair* settings, size_t count,
                               const smbhub_reply* reply) {
    plain_c_instance* self = instance;
    size_t i;
    for (i = 0; i < count; ++i) {
        if (equals(settings[i].name, "label_header")) {
            char* header;
            if (settings[i].value.size == 0) return fail(reply, "plain-c: label_header is empty");
            header = copy_text(settings[i].value.data, settings[i].value.size);
            if (!header) return fail(reply, "plain-c: out of memory");
            free(self->label_header);
            self->label_header = header;
        }
    }
    return SMBHUB_OK;
}

static smbhub_result describe(void* instance, const smbhub_reply* reply) {
    static const smbhub_setting_field label = {sizeof(smbhub_setting_field), 0,
                                               {"label", 5},
                                               {"Sent in the label header", 24}};
    static const smbhub_setting_field* const fields[] = {&label};
    smbhub_str events[2];
    smbhub_provider_info info;
    (void)instance;
    events[0] = str("lead.created");
    events[1] = str("lead.updated");
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    info.kind = SMBHUB_PROVIDER_WEBHOOK;
    info.status = SMBHUB_PROVIDER_LIVE;
    info.id = str("plain-c");
    info.name = str("Plain C Webhook");
    info.description = str("A provider written in C against abi.h alone (tests only)");
    info.events = events;
    info.event_count = 2;
    info.setting_fields = fields;
    info.setting_field_count = 1;
    /* `info` and what it points to live on this stack frame: enough, the hub copies it now. */
    reply->describe(reply->context, &info);
    return SMBHUB_OK;
}

static smbhub_result validate(void* instance, const smbhub_integration_input* input,
                              const smbhub_reply* reply) {
    (void)instance;
    if (!starts_with(input->target->path, "/c/")) {
        reply->reject(reply->context, str("targetUrl"), str("a plain-c target's path starts with /c/"));
    }
    return SMBHUB_OK;
}

static smbhub_result render(void* instance, const smbhub_event* event,
                            const smbhub_integration* integration, const smbhub_reply* reply) {
    static const char prefix[] = "{\"wrappedBy\":\"plain-c\",\"event\":";
    const plain_c_instance* self = instance;
    const size_t prefix_size = sizeof prefix - 1;
    const size_t size = prefix_size + event->envelope_json.size + 1;
    smbhub_pair header;
    smbhub_request request;
    size_t i;
    char* body = malloc(size);
    if (!body) return fail(reply, "plain-c: out of memory");
    memcpy(body, prefix, prefix_size);
    memcpy(body + prefix_size, event->envelope_json.data, event->envelope_json.size);
    body[size - 1] = '}';

    header.name = str(self->label_header);
    header.value = str("none");
    for (i = 0; i < integration->settings_count; ++i) {
        if (equals(integration->settings[i].name, "label")) header.value = integration->settings[i].value;
    }
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.body.data = body;
    request.body.size = size;
    request.headers = &header;
    request.header_count = 1;
    reply->request(reply->context, &request);
    free(body); /* the hub has its copy */
    return SMBHUB_OK;
}

static const smbhub_provider_functions functions = {
    sizeof(smbhub_provider_functions), 0, create, destroy, describe, validate, render, configure,
    NULL /* interpret */, NULL /* oauth_start */};

static const smbhub_plugin_descriptor descriptor = {sizeof(smbhub_plugin_descriptor),
                                                    SMBHUB_SDK_ABI_MAJOR,
                                                    SMBHUB_SDK_ABI_MINOR,
                                                    0,
                                                    "plain-c",
                                                    "0.1.0",
                                                    &functions};

SMBHUB_PLUGIN_EXPORT const smbhub_plugin_descriptor* smbhub_plugin_entry(void) {
    return &descriptor;
}
