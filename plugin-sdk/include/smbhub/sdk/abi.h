/* The binary contract between the hub and a provider plugin: plugin ABI 2 (plain C).
 *
 * Only what this header declares crosses a plugin library's boundary: fixed-width integers,
 * pointer + length UTF-8 buffers, plain C structs and C function pointers. No C++ library type,
 * no exception and no RTTI crosses it, so a plugin may be built by any compiler and C++ library
 * (g++/libstdc++, clang++/libc++, a C compiler) and still load into the hub. It compiles as C99
 * or later and as C++. C++ authors never use it directly: `SMBHUB_PLUGIN(...)` (plugin.h) and
 * the adapter in provider_adapter.h write all of it from a `smbhub::sdk::Provider` subclass.
 *
 * The shape, after Envoy's dynamic modules:
 *   - a library exports one C function, `smbhub_plugin_entry`, returning a static descriptor:
 *     ABI major/minor, plugin id and version, and the plugin's function table;
 *   - the hub reads the descriptor before running any other plugin code and refuses the library
 *     unless the major equals the hub's and the minor is not newer than the hub's;
 *   - the hub then calls the table: create, configure, describe, validate, render, interpret,
 *     oauth_start, destroy. Every answer a call gives goes back through the `smbhub_reply` the
 *     hub passes to it, and is copied by the hub during that reply call.
 *
 * OWNERSHIP AND LIFETIME (the same for every function below, and restated on each):
 *   - HOST-OWNED: everything the hub passes to a plugin function (its structs, buffers, arrays,
 *     and the reply table) belongs to the hub and is valid only until that function returns.
 *     The plugin reads it and copies what it wants to keep; it never writes to it or frees it.
 *   - PLUGIN-OWNED: everything the plugin passes to a reply function (`reply->describe`,
 *     `reply->request`, …) belongs to the plugin and need only be valid until that reply
 *     function returns: the hub copies it before returning. The plugin frees it afterwards.
 *   - STATIC: the descriptor, the function table and the id/version strings belong to the plugin
 *     and must stay valid while the library is loaded. The hub never unloads a library while
 *     the process runs.
 *   - INSTANCE: what `create` stores in `*instance` belongs to the plugin; the hub only passes it
 *     back, and releases it by calling `destroy` exactly once.
 *   Nothing is allocated on one side and freed on the other.
 *
 * BUFFERS: an `smbhub_str` is `size` bytes of UTF-8 at `data`, not NUL-terminated (there may be
 * no NUL after it); `data` may be NULL only when `size` is 0.
 *
 * ERRORS: every call returns SMBHUB_OK or SMBHUB_FAILED. A call has failed if it returns
 * SMBHUB_FAILED or called `reply->fail` (whose message says why, in a sentence people will
 * read: it becomes the failed attempt's error or the refused request's message). Nothing may
 * unwind across the boundary: a C++ plugin catches every exception inside its own functions
 * (the SDK's adapter does), and the hub's reply functions never throw.
 *
 * THREADS: `create`, `configure` and `destroy` are called once each, never concurrently with
 * anything else on that instance. `describe`, `validate`, `render`, `interpret` and
 * `oauth_start` are called from several threads at once on the same instance, after
 * `configure` has returned. Reply tables are per call: use one only on the thread it came on.
 *
 * COMPATIBILITY: same major = compatible; a plugin's minor may not be newer than the hub's.
 * A later minor only APPENDS: new fields at the end of a struct that carries `struct_size`, new
 * functions (optional, with a default) at the end of a table that carries `struct_size`, new
 * enum values. So:
 *   - the hub reads a plugin-owned struct or table only as far as its `struct_size` says
 *     (SMBHUB_HAS_FIELD), and calls no function the plugin's table does not reach;
 *   - a plugin always gets host-owned structs at least as large as its own minor knows
 *     (the hub's minor is never older), so it never needs to check;
 *   - `smbhub_str` and `smbhub_pair`, which appear in arrays, never grow; structs that may grow
 *     are passed by pointer (arrays of them as arrays of pointers);
 *   - the first three fields of the descriptor (struct_size, abi_major, abi_minor) are frozen
 *     for every major, past and future: they are how the hub tells a foreign library apart.
 */
#ifndef SMBHUB_SDK_ABI_H
#define SMBHUB_SDK_ABI_H

/* The ABI version is the SDK's own. A plugin that could claim another version with a compiler
 * flag would be loaded against a contract it was not built for. */
#if defined(SMBHUB_SDK_ABI_MAJOR) || defined(SMBHUB_SDK_ABI_MINOR)
#error "SMBHUB_SDK_ABI_MAJOR/MINOR come from the SDK and cannot be set from outside: build against the SDK of the hub you deploy to"
#endif

#ifdef __cplusplus
#include <cstddef>
#include <cstdint>
extern "C" {
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* Constants, not macros: a -D on the command line cannot change them (see the #error above). */
enum { SMBHUB_SDK_ABI_MAJOR = 2, SMBHUB_SDK_ABI_MINOR = 0 };

/* The one symbol a plugin library exports. */
#define SMBHUB_PLUGIN_ENTRY_SYMBOL "smbhub_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define SMBHUB_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SMBHUB_PLUGIN_EXPORT
#endif

/* Whether the struct at `pointer`, whose type is `type`, reaches `field` by its struct_size:
 * how a reader checks for a field that a later minor appended. */
#define SMBHUB_HAS_FIELD(type, pointer, field) \
    ((size_t)(pointer)->struct_size >= offsetof(type, field) + sizeof(((const type*)0)->field))

/* The size of `type` up to and including `field`: the least a writer of the minor that added
 * `field` supplies. */
#define SMBHUB_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((const type*)0)->field))

/* ---- Values ---------------------------------------------------------------------------- */

/* Bytes of UTF-8 (see BUFFERS above). Frozen: never grows. */
typedef struct smbhub_str {
    const char* data;
    size_t size;
} smbhub_str;

/* A name and a value: a header, a setting, a query parameter. Frozen: never grows. */
typedef struct smbhub_pair {
    smbhub_str name;
    smbhub_str value;
} smbhub_pair;

/* What every call returns. */
typedef int32_t smbhub_result;
enum { SMBHUB_OK = 0, SMBHUB_FAILED = 1 };

/* smbhub_provider_info.kind */
enum { SMBHUB_PROVIDER_WEBHOOK = 0, SMBHUB_PROVIDER_OAUTH = 1 };
/* smbhub_provider_info.status */
enum { SMBHUB_PROVIDER_LIVE = 0, SMBHUB_PROVIDER_COMING_SOON = 1 };
/* smbhub_setting_field.flags */
enum { SMBHUB_SETTING_REQUIRED = 1, SMBHUB_SETTING_SECRET = 2 };
/* smbhub_decision.verdict: what the provider makes of a receiver's response. DEFAULT lets the
 * hub decide (2xx success, anything else retried on the schedule). */
enum {
    SMBHUB_VERDICT_DEFAULT = 0,
    SMBHUB_VERDICT_SUCCESS = 1,
    SMBHUB_VERDICT_RETRY = 2,
    SMBHUB_VERDICT_FAIL_PERMANENTLY = 3,
    SMBHUB_VERDICT_DISABLE_INTEGRATION = 4
};

/* ---- What the hub passes in (HOST-OWNED, valid until the plugin function returns) ------ */

/* An absolute URL, already parsed and normalised by the hub (scheme and host lower case). */
typedef struct smbhub_target_url {
    uint32_t struct_size;
    int32_t port;
    smbhub_str raw;
    smbhub_str scheme;
    smbhub_str host;
    smbhub_str path;  /* "/" at least */
    smbhub_str query; /* without '?' */
} smbhub_target_url;

/* An integration being created or changed, for `validate`. Settings include secret ones. */
typedef struct smbhub_integration_input {
    uint32_t struct_size;
    uint32_t reserved; /* 0 */
    const smbhub_target_url* target;
    const smbhub_pair* settings;
    size_t settings_count;
} smbhub_integration_input;

/* The event as the hub would deliver it by default, for `render`. */
typedef struct smbhub_event {
    uint32_t struct_size;
    uint32_t test;               /* 1 for a test event, else 0 */
    smbhub_str id;               /* evt_… */
    smbhub_str type;             /* lead.created, … */
    smbhub_str account_id;
    smbhub_str created_at;       /* ISO 8601 UTC */
    smbhub_str data_json;        /* the event's `data` object, serialised */
    smbhub_str envelope_json;    /* the default body: {"id","type","createdAt","accountId","test"?,"data"} */
} smbhub_event;

/* The integration being delivered to, for `render`. Settings include decrypted secret ones. */
typedef struct smbhub_integration {
    uint32_t struct_size;
    uint32_t reserved; /* 0 */
    smbhub_str id;
    smbhub_str account_id;
    smbhub_str display_name;
    const smbhub_target_url* target;
    const smbhub_pair* settings;
    size_t settings_count;
} smbhub_integration;

/* A receiver's response, for `interpret`. */
typedef struct smbhub_response {
    uint32_t struct_size;
    int32_t status;
    const smbhub_pair* headers;
    size_t header_count;
    smbhub_str body_prefix; /* at most the first 1 KiB */
} smbhub_response;

/* An OAuth start, for `oauth_start`: the state to put in the URL and the start request's query
 * (e.g. env=sandbox). */
typedef struct smbhub_oauth_request {
    uint32_t struct_size;
    uint32_t reserved; /* 0 */
    smbhub_str state;
    const smbhub_pair* query;
    size_t query_count;
} smbhub_oauth_request;

/* ---- What the plugin answers (PLUGIN-OWNED, valid until the reply function returns) ---- */

/* A field of an integration's `settings` that the provider accepts. */
typedef struct smbhub_setting_field {
    uint32_t struct_size; /* sizeof(smbhub_setting_field) as the plugin was compiled */
    uint32_t flags;       /* SMBHUB_SETTING_REQUIRED | SMBHUB_SETTING_SECRET */
    smbhub_str name;
    smbhub_str description;
} smbhub_setting_field;

/* Who the provider is, for `reply->describe`. */
typedef struct smbhub_provider_info {
    uint32_t struct_size; /* sizeof(smbhub_provider_info) as the plugin was compiled */
    uint32_t kind;        /* SMBHUB_PROVIDER_WEBHOOK or SMBHUB_PROVIDER_OAUTH */
    uint32_t status;      /* SMBHUB_PROVIDER_LIVE or SMBHUB_PROVIDER_COMING_SOON */
    uint32_t reserved;    /* 0 */
    smbhub_str id;        /* stable, lower case; must equal the descriptor's plugin_id */
    smbhub_str name;      /* shown to people: "Generic Webhook" */
    smbhub_str description;
    const smbhub_str* events; /* event types it can receive */
    size_t event_count;
    const smbhub_setting_field* const* setting_fields; /* what `settings` may contain */
    size_t setting_field_count;
    /* Requests one destination accepts in its lifetime (0 = no limit): the hub counts requests
     * sent and warns before the limit. */
    uint64_t request_limit;
} smbhub_provider_info;

/* One HTTP POST to the integration's target URL, for `reply->request`. The hub signs `body`
 * exactly as given. Headers named X-SMB-*, Content-Type, Content-Length, Host, User-Agent,
 * Connection, webhook-id, webhook-timestamp, webhook-signature, svix-id, svix-timestamp or
 * svix-signature, and any name or value containing CR or LF, are dropped by the hub. */
typedef struct smbhub_request {
    uint32_t struct_size; /* sizeof(smbhub_request) as the plugin was compiled */
    uint32_t reserved;    /* 0 */
    smbhub_str body;
    const smbhub_pair* headers;
    size_t header_count;
} smbhub_request;

/* What the provider makes of a response, for `reply->decide`. */
typedef struct smbhub_decision {
    uint32_t struct_size; /* sizeof(smbhub_decision) as the plugin was compiled */
    uint32_t verdict;     /* SMBHUB_VERDICT_* */
    smbhub_str reason;    /* recorded in the attempt / the integration's statusReason */
} smbhub_decision;

/* ---- The reply: how a call answers (HOST-OWNED, valid until the plugin function returns) */

/* Passed to every plugin function except `destroy`. `context` is the hub's: pass it back
 * unchanged as the first argument. Each function copies what it is given before returning, so
 * the plugin's buffers need only live for that call. Which functions a call may use is said on
 * the call; using another one fails the call. None of them throws. */
typedef struct smbhub_reply {
    uint32_t struct_size; /* the hub's sizeof(smbhub_reply): never smaller than the plugin's */
    uint32_t reserved;    /* 0 */
    void* context;

    /* Any call: it failed, and `message` (PLUGIN-OWNED) says why. The first message counts. */
    void (*fail)(void* context, smbhub_str message);
    /* describe: who the provider is. `info` and everything it points to are PLUGIN-OWNED. */
    void (*describe)(void* context, const smbhub_provider_info* info);
    /* configure: the operator's settings lack something the provider needs (an OAuth client
     * id, …); it is then listed with `available: false`. Not calling it means configured. */
    void (*settings_incomplete)(void* context);
    /* validate: refuse the integration, naming the offending field ("targetUrl",
     * "settings.channel") and saying why in a sentence. Both PLUGIN-OWNED. Not calling it
     * means accepted.
     * oauth_start: refuse a query parameter of the start request (e.g. env=staging). */
    void (*reject)(void* context, smbhub_str field, smbhub_str message);
    /* render: one request to send, in order; call it once per request. Not calling it means
     * there is nothing to send (the delivery succeeds). `request` is PLUGIN-OWNED. */
    void (*request)(void* context, const smbhub_request* request);
    /* interpret: the verdict on the response. Not calling it means SMBHUB_VERDICT_DEFAULT.
     * `decision` is PLUGIN-OWNED. */
    void (*decide)(void* context, const smbhub_decision* decision);
    /* oauth_start: the provider's authorization URL (PLUGIN-OWNED). Not calling it means the
     * provider is not configured for OAuth: the API answers 503 provider_unavailable. */
    void (*oauth_url)(void* context, smbhub_str url);
} smbhub_reply;

/* ---- The plugin's function table (STATIC) ---------------------------------------------- */

typedef struct smbhub_provider_functions {
    uint32_t struct_size; /* sizeof(smbhub_provider_functions) as the plugin was compiled */
    uint32_t reserved;    /* 0 */

    /* Makes the provider. On success stores the plugin's instance in `*instance` (INSTANCE) and
     * returns SMBHUB_OK; `reply` (HOST-OWNED, only `fail` applies) is valid until it returns.
     * Required. */
    smbhub_result (*create)(void** instance, const smbhub_reply* reply);

    /* Releases what `create` made; called exactly once, last. Must not fail. Required. */
    void (*destroy)(void* instance);

    /* Answers with `reply->describe` exactly once. `reply` is HOST-OWNED until it returns.
     * Required. */
    smbhub_result (*describe)(void* instance, const smbhub_reply* reply);

    /* Checks an integration a customer creates, after the hub has checked its URL; refuses it
     * with `reply->reject`. `input` and `reply` are HOST-OWNED until it returns. Required. */
    smbhub_result (*validate)(void* instance, const smbhub_integration_input* input,
                              const smbhub_reply* reply);

    /* Turns one event into the requests to send, each with `reply->request`. `event`,
     * `integration` and `reply` are HOST-OWNED until it returns. Required. */
    smbhub_result (*render)(void* instance, const smbhub_event* event,
                            const smbhub_integration* integration, const smbhub_reply* reply);

    /* Optional (NULL: configured, whatever the settings). Called once after `create` with the
     * operator's `plugins.settings.<id>`, flattened to dotted keys ({oauth: {scope: x}} becomes
     * "oauth.scope" = "x"); may answer `reply->settings_incomplete`. `settings` and `reply`
     * are HOST-OWNED until it returns: copy what you keep. The only call that may change the
     * instance. */
    smbhub_result (*configure)(void* instance, const smbhub_pair* settings, size_t settings_count,
                               const smbhub_reply* reply);

    /* Optional (NULL: SMBHUB_VERDICT_DEFAULT). Reads a receiver's response and may answer
     * `reply->decide`. `response` and `reply` are HOST-OWNED until it returns. */
    smbhub_result (*interpret)(void* instance, const smbhub_response* response,
                               const smbhub_reply* reply);

    /* Optional (NULL: not an OAuth provider, 503). Answers `reply->oauth_url`, or
     * `reply->reject` for a bad query parameter. `request` and `reply` are HOST-OWNED until it
     * returns. */
    smbhub_result (*oauth_start)(void* instance, const smbhub_oauth_request* request,
                                 const smbhub_reply* reply);

    /* Later minors append functions here, each optional with a stated default: the hub calls
     * none that lies beyond the plugin's struct_size. */
} smbhub_provider_functions;

/* ---- The descriptor (STATIC) ----------------------------------------------------------- */

typedef struct smbhub_plugin_descriptor {
    /* Frozen for every major: the hub reads these three before anything else. */
    uint32_t struct_size; /* sizeof(smbhub_plugin_descriptor) as the plugin was compiled */
    uint32_t abi_major;   /* SMBHUB_SDK_ABI_MAJOR of the plugin's SDK */
    uint32_t abi_minor;   /* SMBHUB_SDK_ABI_MINOR of the plugin's SDK */

    uint32_t reserved;              /* 0 */
    const char* plugin_id;          /* NUL-terminated, e.g. "webhook"; equals describe's id */
    const char* plugin_version;     /* NUL-terminated, the plugin's own, for `smb-hub plugins` */
    const smbhub_provider_functions* functions;
    /* Later minors append fields here. */
} smbhub_plugin_descriptor;

/* The entry point: returns the library's STATIC descriptor. It runs before the hub has checked
 * anything, so it must do nothing else (no allocation, no I/O, no global state). */
typedef const smbhub_plugin_descriptor* (*smbhub_plugin_entry_fn)(void);
SMBHUB_PLUGIN_EXPORT const smbhub_plugin_descriptor* smbhub_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* SMBHUB_SDK_ABI_H */
