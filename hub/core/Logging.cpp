#include "core/Logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Formatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <stdexcept>

#include "core/Clock.h"
#include "core/Json.h"
#include "core/LogFields.h"

namespace smbhub::core {
namespace {

// One JSON object per line: time, level, logger, message, then the message's fields.
class JsonLineFormatter final : public Poco::Formatter {
public:
    void format(const Poco::Message& message, std::string& text) override {
        const std::int64_t millis = message.getTime().epochMicroseconds() / 1000;
        text = "{\"time\":\"" + isoUtc(millis) + "\",\"level\":\"" + levelName(message.getPriority()) +
               "\",\"logger\":" + jsonQuote(message.getSource()) + ",\"message\":" + jsonQuote(message.getText());
        if (message.has(kLogFieldsParameter)) {
            const std::string& members = message.get(kLogFieldsParameter);
            if (!members.empty()) text += ',' + members;
        }
        text += '}';
    }

private:
    // The names log.level takes, so a filter and the configuration speak the same words.
    static const char* levelName(Poco::Message::Priority priority) {
        switch (priority) {
            case Poco::Message::PRIO_FATAL: return "fatal";
            case Poco::Message::PRIO_CRITICAL: return "critical";
            case Poco::Message::PRIO_ERROR: return "error";
            case Poco::Message::PRIO_WARNING: return "warning";
            case Poco::Message::PRIO_NOTICE: return "notice";
            case Poco::Message::PRIO_INFORMATION: return "information";
            case Poco::Message::PRIO_DEBUG: return "debug";
            case Poco::Message::PRIO_TRACE: return "trace";
        }
        return "information";
    }
};

Poco::AutoPtr<Poco::Formatter> formatterFor(LogFormat format) {
    if (format == LogFormat::Json) return new JsonLineFormatter();
    Poco::AutoPtr<Poco::PatternFormatter> text(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    text->setProperty("times", "UTC");
    return text;
}

}  // namespace

LogFormat parseLogFormat(const std::string& name) {
    if (name == "text") return LogFormat::Text;
    if (name == "json") return LogFormat::Json;
    throw std::invalid_argument("expected text or json, got \"" + name + "\"");
}

void setUpLogging(const std::string& level, LogFormat format) {
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(formatterFor(format), new Poco::ConsoleChannel()));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old settings; reset them all.
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace smbhub::core
