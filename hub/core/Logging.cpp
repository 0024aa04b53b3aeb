#include "core/Logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

namespace smbhub::core {

void setUpLogging(const std::string& level) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel()));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old settings; reset them all.
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace smbhub::core
