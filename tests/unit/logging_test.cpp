// The log's two formats (core/Logging.h) and structured fields (core/LogFields.h): a JSON line
// is one valid JSON object with time, level, logger, message and the fields; text has the
// sentence only. JSON strings are escaped so that any message stays one valid line.
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <vector>

#include "core/Json.h"
#include "core/LogFields.h"
#include "core/Logging.h"

namespace smbhub::core {
namespace {

TEST(JsonQuote, EscapesWhatJsonNeedsAndKeepsTheRest) {
    EXPECT_EQ(jsonQuote("plain"), "\"plain\"");
    EXPECT_EQ(jsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(jsonQuote("line\nnext\ttab\x01"), "\"line\\nnext\\ttab\\u0001\"");
    EXPECT_EQ(jsonQuote("http://x/y"), "\"http://x/y\"") << "slashes need no escape";
    EXPECT_EQ(jsonQuote("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"") << "valid UTF-8 stays";
    EXPECT_EQ(jsonQuote("bad \xff\xc3"), "\"bad \xef\xbf\xbd\xef\xbf\xbd\"") << "invalid bytes become U+FFFD";
    EXPECT_EQ(jsonQuote("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"") << "no surrogates";
    // Whatever goes in, the result parses.
    const std::string nasty = std::string("x\0y\x7f\"\\\x80", 8);
    EXPECT_NO_THROW(Poco::JSON::Parser().parse("{\"k\":" + jsonQuote(nasty) + "}"));
}

// Collects the formatted lines instead of writing them to stderr.
class LinesChannel final : public Poco::Channel {
public:
    void log(const Poco::Message& message) override { lines.push_back(message.getText()); }
    std::vector<std::string> lines;
};

TEST(Logging, JsonLinesCarryTheMessageAndItsFields) {
    setUpLogging("information", LogFormat::Json);
    // Reuse the formatter set up for the root logger, writing to a channel the test can read.
    auto* formatting = dynamic_cast<Poco::FormattingChannel*>(Poco::Logger::root().getChannel().get());
    ASSERT_NE(formatting, nullptr);
    Poco::AutoPtr<LinesChannel> lines(new LinesChannel);
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatting->getFormatter(), lines));
    Poco::Logger& logger = Poco::Logger::get("logging-test");
    logger.setChannel(channel);

    logWithFields(logger, Poco::Message::PRIO_WARNING, "attempt 2 failed (\"quoted\")",
                  {{"deliveryId", "dlv_1"}, {"attempt", 2}, {"final", true}});
    logger.information("plain %s", std::string("text"));
    logWithFields(logger, Poco::Message::PRIO_DEBUG, "below the level", {{"x", 1}});
    ASSERT_EQ(lines->lines.size(), 2u);

    const auto first = Poco::JSON::Parser().parse(lines->lines[0]).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(first->getValue<std::string>("level"), "warning");
    EXPECT_EQ(first->getValue<std::string>("logger"), "logging-test");
    EXPECT_EQ(first->getValue<std::string>("message"), "attempt 2 failed (\"quoted\")");
    EXPECT_EQ(first->getValue<std::string>("deliveryId"), "dlv_1");
    EXPECT_EQ(first->getValue<int>("attempt"), 2);
    EXPECT_TRUE(first->getValue<bool>("final"));
    EXPECT_EQ(first->getValue<std::string>("time").size(), std::string("2026-11-27T02:14:01.123Z").size());
    const auto second = Poco::JSON::Parser().parse(lines->lines[1]).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(second->getValue<std::string>("message"), "plain text");
    EXPECT_EQ(second->getValue<std::string>("level"), "information");

    setUpLogging("information", LogFormat::Text);
    formatting = dynamic_cast<Poco::FormattingChannel*>(Poco::Logger::root().getChannel().get());
    ASSERT_NE(formatting, nullptr);
    lines->lines.clear();
    logger.setChannel(new Poco::FormattingChannel(formatting->getFormatter(), lines));
    logWithFields(logger, Poco::Message::PRIO_INFORMATION, "the sentence", {{"deliveryId", "dlv_1"}});
    ASSERT_EQ(lines->lines.size(), 1u);
    EXPECT_NE(lines->lines[0].find(" Information logging-test: the sentence"), std::string::npos) << lines->lines[0];
    EXPECT_EQ(lines->lines[0].find("dlv_1"), std::string::npos) << "text shows the sentence only";
}

TEST(Logging, FormatNames) {
    EXPECT_EQ(parseLogFormat("text"), LogFormat::Text);
    EXPECT_EQ(parseLogFormat("json"), LogFormat::Json);
    EXPECT_THROW(parseLogFormat("xml"), std::invalid_argument);
}

}  // namespace
}  // namespace smbhub::core
