// Chat incoming webhook: posts a one-line summary of each event to a chat channel through the
// "incoming webhook" URL that Slack, Mattermost, Rocket.Chat and others give out, e.g.
// https://chat.example.com/hooks/3x4mpl3. The body is the {"text": …} message those apps read.
//
// This is the SDK's worked example (docs/plugin-authoring.md): one class, one macro, standard
// C++17 only. The hub signs every request it sends for this plugin, exactly as it signs the
// in-tree providers' requests; the plugin only says what to send.
#include <smbhub/sdk/plugin.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace smbhub::sdk;

// The webhook path prefix chat apps use for incoming webhooks.
const std::string kHookPathPrefix = "/hooks/";

// `text` as a JSON string literal, quotes included. The example builds against the installed SDK
// alone, as any third-party plugin does, and the SDK writes no JSON, so it carries its own: a
// plugin author copies it with the rest.
std::string jsonQuote(const std::string& text) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x", c);
                    out += escape;
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

// The number after the first `"name":` in a JSON text, or "" when there is none. Enough for the
// flat numbers of the event data this example summarises (count, rowCount, remaining, …); a real
// plugin would parse EventView::dataJson with the JSON library of its choice.
std::string numberField(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\"";
    std::size_t at = json.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    while (at < json.size() && std::isspace(static_cast<unsigned char>(json[at]))) ++at;
    if (at >= json.size() || json[at] != ':') return "";
    ++at;
    while (at < json.size() && std::isspace(static_cast<unsigned char>(json[at]))) ++at;
    std::size_t end = at;
    while (end < json.size() && (std::isdigit(static_cast<unsigned char>(json[end])) ||
                                 json[end] == '.' || json[end] == '-')) {
        ++end;
    }
    return json.substr(at, end - at);
}

// "3 new leads", "export finished: 120 rows", … — what a person in the channel wants to read.
std::string summary(const EventView& event) {
    const std::string& data = event.dataJson;
    std::string text;
    if (event.type == "lead.created") {
        const std::string count = numberField(data, "count");
        text = count.empty() ? "New leads" : count + (count == "1" ? " new lead" : " new leads");
    } else if (event.type == "lead.updated") {
        const std::string count = numberField(data, "count");
        text = count.empty() ? "Leads updated"
                             : count + (count == "1" ? " lead updated" : " leads updated");
    } else if (event.type == "export.completed") {
        const std::string rows = numberField(data, "rowCount");
        text = rows.empty() ? "Export finished" : "Export finished: " + rows + " rows";
    } else if (event.type == "email_schedule.sent") {
        text = "Scheduled email sent";
    } else if (event.type == "credit.low_balance") {
        const std::string remaining = numberField(data, "remaining");
        text = remaining.empty() ? "Credits are running low"
                                 : "Credits are running low: " + remaining + " left";
    } else {
        text = event.type;
    }
    text = "SMB Sales Boost: " + text + " (" + event.type + ", " + event.id + ")";
    if (event.test) text += " [test]";
    return text;
}

class ChatProvider final : public Provider {
public:
    ProviderInfo describe() const override {
        ProviderInfo info;
        info.id = "chat";
        info.name = "Chat Incoming Webhook";
        info.kind = ProviderKind::Webhook;
        info.status = ProviderStatus::Live;
        info.description =
            "Posts a one-line summary of each event to a chat channel "
            "(Slack, Mattermost or Rocket.Chat incoming webhook)";
        info.events = {"lead.created", "lead.updated", "export.completed", "email_schedule.sent",
                       "credit.low_balance"};
        SettingField channel;
        channel.name = "channel";
        channel.description = "Channel to post to instead of the webhook's own, e.g. #sales";
        channel.required = false;
        channel.secret = false;
        info.settingFields = {channel};
        return info;
    }

    // The hub has already checked that the URL is absolute and allowed by its network rules;
    // this adds what only the provider knows: what an incoming-webhook URL looks like.
    Validation validate(const IntegrationInput& input) const override {
        const TargetUrl& url = input.target;
        if (url.scheme != "https") {
            return Validation::reject("targetUrl", "a chat incoming webhook URL uses https");
        }
        if (url.path.compare(0, kHookPathPrefix.size(), kHookPathPrefix) != 0 ||
            url.path.size() == kHookPathPrefix.size()) {
            return Validation::reject("targetUrl",
                                      "a chat incoming webhook URL looks like "
                                      "https://chat.example.com/hooks/<key>");
        }
        const auto channel = input.settings.find("channel");
        if (channel != input.settings.end() && !channel->second.empty() &&
            channel->second[0] != '#' && channel->second[0] != '@') {
            return Validation::reject("settings.channel",
                                      "channel must start with # (a channel) or @ (a person)");
        }
        return Validation::accept();
    }

    // Called from several delivery threads at once: it reads only its arguments.
    std::vector<OutboundRequest> render(const EventView& event,
                                        const IntegrationView& integration) const override {
        std::string body = "{\"text\":" + jsonQuote(summary(event));
        const auto channel = integration.settings.find("channel");
        if (channel != integration.settings.end() && !channel->second.empty()) {
            body += ",\"channel\":" + jsonQuote(channel->second);
        }
        body += "}";
        OutboundRequest request;
        request.body = body;
        return {request};
    }

    // Chat apps answer 404 or 410 once a webhook has been deleted: retrying cannot help, so the
    // hub disables the integration and shows the reason to its owner.
    ResponseDecision interpret(const ResponseView& response) const override {
        ResponseDecision decision;
        if (response.status == 404 || response.status == 410) {
            decision.verdict = Verdict::DisableIntegration;
            decision.reason = "the chat app no longer knows this webhook (HTTP " +
                              std::to_string(response.status) + ")";
        }
        return decision;
    }
};

}  // namespace

SMBHUB_PLUGIN(ChatProvider, "chat", "1.0.0")
