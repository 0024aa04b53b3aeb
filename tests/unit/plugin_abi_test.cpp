// Plugin ABI 2 in one process, without loading a library: the hub's side (descriptor check,
// PluginProvider, PluginReply) against the SDK's C++ adapter and against hand-written C tables.
//   - a C++ Provider adapted by the SDK round-trips every value and verdict through the C
//     structs, and its exceptions come back as PluginError with their messages;
//   - malformed C answers (wrong reply function, truncated structs, null buffers, unknown
//     codes) fail the call with a sentence instead of being read;
//   - a function beyond the table's struct_size is never called: the hub calls nothing a
//     plugin's minor lacks.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <smbhub/sdk/provider_adapter.h>

#include "plugins/DescriptorCheck.h"
#include "plugins/PluginProvider.h"

namespace smbhub::plugins {
namespace {

using sdk::Verdict;

// ---- A C++ provider, adapted by the SDK -----------------------------------------------------

class RoundTripProvider final : public sdk::Provider {
public:
    sdk::ProviderInfo describe() const override {
        sdk::ProviderInfo info;
        info.id = "round-trip";
        info.name = "Round Trip";
        info.kind = sdk::ProviderKind::OAuth;
        info.status = sdk::ProviderStatus::ComingSoon;
        info.description = "Every field, once";
        info.events = {"lead.created", "credit.low_balance"};
        info.settingFields = {{"token", "A secret", true, true}, {"label", "Shown", false, false}};
        info.requestLimit = 50000;
        return info;
    }

    bool configure(const sdk::PluginSettings& settings) override {
        settings_ = settings;
        return settings.count("client_id") > 0;
    }

    sdk::Validation validate(const sdk::IntegrationInput& input) const override {
        if (input.target.host == "throw.example") throw std::runtime_error("validate threw");
        if (input.target.host == "int.example") throw 42;
        if (input.target.path == "/echo") {
            std::string text = input.target.raw + "|" + input.target.scheme + "|" + input.target.host +
                               "|" + std::to_string(input.target.port) + "|" + input.target.path + "|" +
                               input.target.query;
            for (const auto& [name, value] : input.settings) text += "|" + name + "=" + value;
            return sdk::Validation::reject("settings.echo", text);
        }
        return sdk::Validation::accept();
    }

    std::vector<sdk::OutboundRequest> render(const sdk::EventView& event,
                                             const sdk::IntegrationView& integration) const override {
        if (event.type == "boom") throw std::logic_error("render threw on " + event.id);
        sdk::OutboundRequest first;
        first.body = event.id + "|" + event.type + "|" + event.accountId + "|" + event.createdAt + "|" +
                     (event.test ? "test" : "live") + "|" + event.dataJson + "|" + event.envelopeJson;
        first.headers = {{"X-Integration", integration.id + "|" + integration.accountId + "|" +
                                               integration.displayName + "|" + integration.target.raw},
                         {"X-Settings", integration.settings.at("label")}};
        sdk::OutboundRequest second;
        second.body = std::string("with\0nul", 8);
        return {first, second};
    }

    sdk::ResponseDecision interpret(const sdk::ResponseView& response) const override {
        sdk::ResponseDecision decision;
        switch (response.status) {
            case 200: decision.verdict = Verdict::Success; break;
            case 500: decision.verdict = Verdict::Retry; break;
            case 400: decision.verdict = Verdict::FailPermanently; break;
            case 410: decision.verdict = Verdict::DisableIntegration; break;
            default: break;
        }
        for (const auto& header : response.headers) decision.reason += header.name + "=" + header.value + ";";
        decision.reason += response.bodyPrefix;
        return decision;
    }

    sdk::OAuthStart oauthStart(const sdk::OAuthStartRequest& request) const override {
        sdk::OAuthStart start;
        const auto env = request.query.find("env");
        if (env != request.query.end() && env->second == "staging") {
            start.input = sdk::Validation::reject("env", "env must be production or sandbox");
            return start;
        }
        if (!settings_.count("client_id")) return start;
        start.available = true;
        start.url = "https://auth.example/authorize?client_id=" + settings_.at("client_id") +
                    "&state=" + request.state;
        return start;
    }

private:
    sdk::PluginSettings settings_;
};

class ThrowingConstructorProvider final : public sdk::Provider {
public:
    ThrowingConstructorProvider() { throw std::runtime_error("the constructor threw"); }
    sdk::ProviderInfo describe() const override { return {}; }
    sdk::Validation validate(const sdk::IntegrationInput&) const override { return {}; }
    std::vector<sdk::OutboundRequest> render(const sdk::EventView&, const sdk::IntegrationView&) const override {
        return {};
    }
};

PluginProvider roundTrip() { return PluginProvider(sdk::adapter::Adapter<RoundTripProvider>::functions); }

sdk::TargetUrl target(const std::string& host, const std::string& path) {
    sdk::TargetUrl url;
    url.raw = "https://" + host + ":8443" + path + "?a=1";
    url.scheme = "https";
    url.host = host;
    url.port = 8443;
    url.path = path;
    url.query = "a=1";
    return url;
}

std::string what(const std::function<void()>& call) {
    try {
        call();
    } catch (const PluginError& e) {
        return e.what();
    }
    return "(no PluginError)";
}

TEST(PluginAbiAdapter, DescribeCarriesEveryField) {
    const sdk::ProviderInfo info = roundTrip().describe();
    EXPECT_EQ(info.id, "round-trip");
    EXPECT_EQ(info.name, "Round Trip");
    EXPECT_EQ(info.kind, sdk::ProviderKind::OAuth);
    EXPECT_EQ(info.status, sdk::ProviderStatus::ComingSoon);
    EXPECT_EQ(info.description, "Every field, once");
    EXPECT_EQ(info.events, (std::vector<std::string>{"lead.created", "credit.low_balance"}));
    ASSERT_EQ(info.settingFields.size(), 2u);
    EXPECT_EQ(info.settingFields[0].name, "token");
    EXPECT_EQ(info.settingFields[0].description, "A secret");
    EXPECT_TRUE(info.settingFields[0].required);
    EXPECT_TRUE(info.settingFields[0].secret);
    EXPECT_EQ(info.settingFields[1].name, "label");
    EXPECT_FALSE(info.settingFields[1].required);
    EXPECT_FALSE(info.settingFields[1].secret);
    EXPECT_EQ(info.requestLimit, 50000u);
}

TEST(PluginAbiAdapter, ConfigureAndOAuthStartSeeTheOperatorsSettings) {
    PluginProvider unconfigured = roundTrip();
    EXPECT_FALSE(unconfigured.configure({{"scope", "x"}}));
    EXPECT_FALSE(unconfigured.oauthStart({"st", {}}).available);

    PluginProvider provider = roundTrip();
    EXPECT_TRUE(provider.configure({{"client_id", "cid"}, {"oauth.scope", "x"}}));
    const sdk::OAuthStart started = provider.oauthStart({"state-1", {{"env", "sandbox"}}});
    EXPECT_TRUE(started.available);
    EXPECT_TRUE(started.input.ok);
    EXPECT_EQ(started.url, "https://auth.example/authorize?client_id=cid&state=state-1");

    const sdk::OAuthStart refused = provider.oauthStart({"state-2", {{"env", "staging"}}});
    EXPECT_FALSE(refused.available);
    EXPECT_FALSE(refused.input.ok);
    EXPECT_EQ(refused.input.field, "env");
    EXPECT_EQ(refused.input.message, "env must be production or sandbox");
}

TEST(PluginAbiAdapter, ValidateSeesTheWholeInputAndAnswersAcceptOrReject) {
    const PluginProvider provider = roundTrip();
    EXPECT_TRUE(provider.validate({target("ok.example", "/hook"), {}}).ok);
    const sdk::Validation echoed =
        provider.validate({target("echo.example", "/echo"), {{"b", "2"}, {"a", "1"}}});
    EXPECT_FALSE(echoed.ok);
    EXPECT_EQ(echoed.field, "settings.echo");
    EXPECT_EQ(echoed.message, "https://echo.example:8443/echo?a=1|https|echo.example|8443|/echo|a=1|a=1|b=2");
}

TEST(PluginAbiAdapter, ExceptionsStopInThePluginAndComeBackWithTheirMessage) {
    const PluginProvider provider = roundTrip();
    EXPECT_EQ(what([&] { provider.validate({target("throw.example", "/"), {}}); }), "validate threw");
    EXPECT_EQ(what([&] { provider.validate({target("int.example", "/"), {}}); }),
              "the plugin threw an exception that is not a std::exception");
    sdk::EventView boom;
    boom.id = "evt_1";
    boom.type = "boom";
    EXPECT_EQ(what([&] { provider.render(boom, {}); }), "render threw on evt_1");
    EXPECT_EQ(what([] {
                  const PluginProvider never(sdk::adapter::Adapter<ThrowingConstructorProvider>::functions);
                  (void)never;
              }),
              "the constructor threw");
}

TEST(PluginAbiAdapter, RenderCarriesTheEventTheIntegrationAndEveryRequest) {
    sdk::EventView event;
    event.id = "evt_9";
    event.type = "lead.created";
    event.accountId = "acc_1";
    event.createdAt = "2026-12-01T10:00:00Z";
    event.test = true;
    event.dataJson = R"({"count":1})";
    event.envelopeJson = R"({"id":"evt_9","data":{"count":1}})";
    sdk::IntegrationView integration;
    integration.id = "int_1";
    integration.accountId = "acc_1";
    integration.displayName = "Ünïcode room";
    integration.target = target("hooks.example", "/in");
    integration.settings = {{"label", "north"}};

    const std::vector<sdk::OutboundRequest> requests = roundTrip().render(event, integration);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].body, "evt_9|lead.created|acc_1|2026-12-01T10:00:00Z|test|" + event.dataJson + "|" +
                                    event.envelopeJson);
    ASSERT_EQ(requests[0].headers.size(), 2u);
    EXPECT_EQ(requests[0].headers[0].name, "X-Integration");
    EXPECT_EQ(requests[0].headers[0].value, "int_1|acc_1|Ünïcode room|" + integration.target.raw);
    EXPECT_EQ(requests[0].headers[1].value, "north");
    EXPECT_EQ(requests[1].body, std::string("with\0nul", 8)) << "buffers are pointer + length, not C strings";
    EXPECT_TRUE(requests[1].headers.empty());
}

TEST(PluginAbiAdapter, InterpretCarriesEveryVerdictAndTheResponse) {
    const PluginProvider provider = roundTrip();
    const std::vector<std::pair<int, Verdict>> cases = {{200, Verdict::Success},
                                                        {500, Verdict::Retry},
                                                        {400, Verdict::FailPermanently},
                                                        {410, Verdict::DisableIntegration},
                                                        {302, Verdict::Default}};
    for (const auto& [status, verdict] : cases) {
        sdk::ResponseView response;
        response.status = status;
        response.headers = {{"Retry-After", "5"}};
        response.bodyPrefix = "gone";
        const sdk::ResponseDecision decision = provider.interpret(response);
        EXPECT_EQ(decision.verdict, verdict) << status;
        EXPECT_EQ(decision.reason, "Retry-After=5;gone") << status;
    }
}

// ---- Hand-written C tables ------------------------------------------------------------------

int gInstance = 0;
bool gOptionalCalled = false;

smbhub_str str(const char* text) { return smbhub_str{text, std::strlen(text)}; }

smbhub_result create(void** instance, const smbhub_reply*) {
    *instance = &gInstance;
    return SMBHUB_OK;
}
void destroy(void*) {}
smbhub_result describeNothing(void*, const smbhub_reply*) { return SMBHUB_OK; }
smbhub_result acceptAll(void*, const smbhub_integration_input*, const smbhub_reply*) { return SMBHUB_OK; }
smbhub_result renderNothing(void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply*) {
    return SMBHUB_OK;
}
smbhub_result configureSpy(void*, const smbhub_pair*, std::size_t, const smbhub_reply* reply) {
    gOptionalCalled = true;
    reply->settings_incomplete(reply->context);
    return SMBHUB_OK;
}
smbhub_result interpretSpy(void*, const smbhub_response*, const smbhub_reply* reply) {
    gOptionalCalled = true;
    const smbhub_decision decision{sizeof decision, SMBHUB_VERDICT_RETRY, str("spy")};
    reply->decide(reply->context, &decision);
    return SMBHUB_OK;
}
smbhub_result oauthSpy(void*, const smbhub_oauth_request*, const smbhub_reply* reply) {
    gOptionalCalled = true;
    reply->oauth_url(reply->context, str("https://spy.example/"));
    return SMBHUB_OK;
}

smbhub_provider_functions table() {
    return smbhub_provider_functions{sizeof(smbhub_provider_functions),
                                     0,
                                     &create,
                                     &destroy,
                                     &describeNothing,
                                     &acceptAll,
                                     &renderNothing,
                                     &configureSpy,
                                     &interpretSpy,
                                     &oauthSpy};
}

std::string renderError(smbhub_result (*render)(void*, const smbhub_event*, const smbhub_integration*,
                                                const smbhub_reply*)) {
    smbhub_provider_functions functions = table();
    functions.render = render;
    const PluginProvider provider(functions);
    return what([&] { provider.render({}, {}); });
}

TEST(PluginAbiTable, FunctionsBeyondTheTablesStructSizeAreNeverCalled) {
    // A table as a plugin of a minor without the optional functions would have it: the memory
    // after its struct_size holds functions the hub must not reach for.
    smbhub_provider_functions functions = table();
    functions.struct_size = SMBHUB_SIZE_THROUGH(smbhub_provider_functions, render);
    gOptionalCalled = false;
    PluginProvider provider(functions);
    EXPECT_TRUE(provider.configure({{"a", "b"}}));
    EXPECT_EQ(provider.interpret({}).verdict, Verdict::Default);
    EXPECT_FALSE(provider.oauthStart({}).available);
    EXPECT_FALSE(gOptionalCalled);

    // The same functions within the struct_size are called.
    PluginProvider whole(table());
    EXPECT_FALSE(whole.configure({}));
    EXPECT_EQ(whole.interpret({}).verdict, Verdict::Retry);
    EXPECT_TRUE(whole.oauthStart({}).available);
    EXPECT_TRUE(gOptionalCalled);
}

TEST(PluginAbiTable, NullOptionalFunctionsGiveTheDefaults) {
    smbhub_provider_functions functions = table();
    functions.configure = nullptr;
    functions.interpret = nullptr;
    functions.oauth_start = nullptr;
    PluginProvider provider(functions);
    EXPECT_TRUE(provider.configure({}));
    EXPECT_EQ(provider.interpret({}).verdict, Verdict::Default);
    EXPECT_FALSE(provider.oauthStart({}).available);
}

TEST(PluginAbiReply, AFailureCarriesThePluginsFirstMessageAndDropsPartialAnswers) {
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  const smbhub_request request{sizeof request, 0, str("partial"), nullptr, 0};
                  reply->request(reply->context, &request);
                  reply->fail(reply->context, str("first reason"));
                  reply->fail(reply->context, str("second reason"));
                  return SMBHUB_FAILED;
              }),
              "first reason");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply*) -> smbhub_result {
                  return SMBHUB_FAILED;
              }),
              "the plugin failed without saying why");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  reply->fail(reply->context, str("failed but returned OK"));
                  return SMBHUB_OK;
              }),
              "failed but returned OK");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply*) -> smbhub_result {
                  return smbhub_result{7};
              }),
              "the plugin returned an unknown result 7");
}

TEST(PluginAbiReply, MalformedAnswersFailTheCallInsteadOfBeingRead) {
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  reply->oauth_url(reply->context, str("https://x.example/"));
                  return SMBHUB_OK;
              }),
              "the plugin answered with oauth_url, which does not belong to this call");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  const smbhub_request request{sizeof request, 0, smbhub_str{nullptr, 5}, nullptr, 0};
                  reply->request(reply->context, &request);
                  return SMBHUB_OK;
              }),
              "the plugin passed a null buffer of 5 bytes");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  const smbhub_request request{8, 0, str("cut short"), nullptr, 0};
                  reply->request(reply->context, &request);
                  return SMBHUB_OK;
              }),
              "the plugin answered a truncated smbhub_request (8 bytes, ABI 2.0 has 40)");
    EXPECT_EQ(renderError([](void*, const smbhub_event*, const smbhub_integration*, const smbhub_reply* reply) -> smbhub_result {
                  const smbhub_request request{sizeof request, 0, str("{}"), nullptr, 3};
                  reply->request(reply->context, &request);
                  return SMBHUB_OK;
              }),
              "the plugin answered 3 headers at a null address");

    smbhub_provider_functions functions = table();
    functions.interpret = [](void*, const smbhub_response*, const smbhub_reply* reply) -> smbhub_result {
        const smbhub_decision decision{sizeof decision, 9, str("")};
        reply->decide(reply->context, &decision);
        return SMBHUB_OK;
    };
    functions.describe = [](void*, const smbhub_reply* reply) -> smbhub_result {
        smbhub_provider_info info{};
        info.struct_size = 24;
        reply->describe(reply->context, &info);
        return SMBHUB_OK;
    };
    const PluginProvider provider(functions);
    EXPECT_EQ(what([&] { provider.interpret({}); }), "the plugin answered an unknown verdict 9");
    EXPECT_EQ(what([&] { provider.describe(); }),
              "the plugin answered a truncated smbhub_provider_info (24 bytes, ABI 2.0 has 104)");

    functions = table();  // describe that never answers
    const PluginProvider silent(functions);
    EXPECT_EQ(what([&] { silent.describe(); }), "the plugin's describe gave no answer");
}

// ---- The descriptor --------------------------------------------------------------------------

smbhub_plugin_descriptor descriptor(const smbhub_provider_functions* functions) {
    return smbhub_plugin_descriptor{sizeof(smbhub_plugin_descriptor), 2, 0, 0, "fake", "1.2.3", functions};
}

TEST(PluginAbiDescriptor, AcceptsItsOwnMajorAndOlderOrEqualMinors) {
    const smbhub_provider_functions functions = table();
    EXPECT_EQ(incompatibility(descriptor(&functions)), "");
    const DescriptorIdentity who = identity(descriptor(&functions));
    EXPECT_EQ(who.id, "fake");
    EXPECT_EQ(who.version, "1.2.3");
}

TEST(PluginAbiDescriptor, RefusesOtherMajorsNewerMinorsAndAbi1ByName) {
    const smbhub_provider_functions functions = table();
    smbhub_plugin_descriptor d = descriptor(&functions);
    d.abi_major = 99;
    EXPECT_EQ(incompatibility(d), "built against plugin ABI 99.0, the hub speaks 2.0");
    EXPECT_EQ(identity(d).id, "") << "a foreign major's layout is unknown: its id is not read";
    d.abi_major = 2;
    d.abi_minor = 7;
    EXPECT_EQ(incompatibility(d), "built against plugin ABI 2.7, the hub speaks 2.0");
    EXPECT_EQ(identity(d).id, "fake") << "a newer minor of the same major only appended";
    d.abi_major = 1;
    d.abi_minor = 0;
    EXPECT_EQ(incompatibility(d),
              "built against plugin ABI 1.0 (C++ at the boundary, tied to one compiler); the hub "
              "speaks 2.0 (C only): rebuild the plugin against this hub's SDK");
}

TEST(PluginAbiDescriptor, RefusesMalformedDescriptorsAndTables) {
    smbhub_provider_functions functions = table();
    smbhub_plugin_descriptor d = descriptor(&functions);
    d.struct_size = 8;
    EXPECT_EQ(incompatibility(d), "its descriptor is truncated (8 bytes)");
    d.struct_size = 24;
    EXPECT_EQ(incompatibility(d), "its descriptor is truncated (24 bytes, ABI 2.0 has 40)");
    d = descriptor(&functions);
    d.plugin_id = "";
    EXPECT_EQ(incompatibility(d), "its descriptor has no id");
    d = descriptor(nullptr);
    EXPECT_EQ(incompatibility(d), "its descriptor has no function table");
    d = descriptor(&functions);
    functions.struct_size = SMBHUB_SIZE_THROUGH(smbhub_provider_functions, render);
    EXPECT_EQ(incompatibility(d), "its function table is truncated (48 bytes, ABI 2.0 has 72)");
    functions = table();
    functions.render = nullptr;
    EXPECT_EQ(incompatibility(d), "its function table lacks create, destroy, describe, validate or render");
}

}  // namespace
}  // namespace smbhub::plugins
