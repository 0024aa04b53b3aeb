#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "events/EventTypes.h"

namespace smbhub::events {
namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string problemField(const std::string& type, const std::string& data) {
    const auto result = shapeEvent(type, json(data));
    const auto* problem = std::get_if<EventProblem>(&result);
    return problem ? problem->field : "<accepted>";
}

TEST(EventTypes, LeadEventsCarryCountAndAtMostFiveLeads) {
    const auto result = shapeEvent("lead.created", json(R"({"leads":[{"a":1},{"a":2},{"a":3},{"a":4},{"a":5},{"a":6},{"a":7}],"exportId":"exp_1"})"));
    const auto& events = std::get<std::vector<ShapedEvent>>(result);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data->getValue<int>("count"), 7);
    EXPECT_EQ(events[0].data->getArray("leads")->size(), 5u);
    EXPECT_EQ(events[0].data->getValue<std::string>("exportId"), "exp_1");
}

TEST(EventTypes, ExportWithUpdatedLeadsAlsoEmitsLeadUpdated) {
    const auto result = shapeEvent(
        "export.completed", json(R"({"exportId":"exp_9","rowCount":3,"format":"csv","updatedLeads":[{"id":1},{"id":2}]})"));
    const auto& events = std::get<std::vector<ShapedEvent>>(result);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "export.completed");
    EXPECT_FALSE(events[0].data->has("updatedLeads"));
    EXPECT_EQ(events[0].data->getValue<int>("rowCount"), 3);
    EXPECT_EQ(events[1].type, "lead.updated");
    EXPECT_EQ(events[1].data->getValue<int>("count"), 2);
    EXPECT_EQ(events[1].data->getValue<std::string>("exportId"), "exp_9");

    const auto plain = shapeEvent("export.completed", json(R"({"exportId":"e","rowCount":0,"format":"csv","updatedLeads":[]})"));
    EXPECT_EQ(std::get<std::vector<ShapedEvent>>(plain).size(), 1u);
}

TEST(EventTypes, RefusalsNameTheField) {
    EXPECT_EQ(problemField("lead.nope", "{}"), "type");
    EXPECT_EQ(problemField("lead.created", "{}"), "data.leads");
    EXPECT_EQ(problemField("lead.created", R"({"leads":"x"})"), "data.leads");
    EXPECT_EQ(problemField("lead.created", R"({"leads":[]})"), "data.leads");
    EXPECT_EQ(problemField("lead.created", R"({"leads":[1]})"), "data.leads[0]");
    EXPECT_EQ(problemField("lead.created", R"({"leads":[{}],"exportId":5})"), "data.exportId");
    EXPECT_EQ(problemField("export.completed", R"({"rowCount":1,"format":"csv"})"), "data.exportId");
    EXPECT_EQ(problemField("export.completed", R"({"exportId":"e","rowCount":"1","format":"csv"})"), "data.rowCount");
    EXPECT_EQ(problemField("export.completed", R"({"exportId":"e","rowCount":1.5,"format":"csv"})"), "data.rowCount");
    EXPECT_EQ(problemField("export.completed", R"({"exportId":"e","rowCount":1})"), "data.format");
    EXPECT_EQ(problemField("email_schedule.sent", R"({"scheduleId":"s","sentAt":"2026-01-01T00:00:00Z"})"), "data.recipients");
    EXPECT_EQ(problemField("email_schedule.sent", R"({"scheduleId":"s","recipients":3})"), "data.sentAt");
    EXPECT_EQ(problemField("email_schedule.sent", R"({"scheduleId":"s","recipients":3,"sentAt":"x"})"), "<accepted>");
    EXPECT_EQ(problemField("credit.low_balance", R"({"remaining":"1","threshold":5})"), "data.remaining");
    EXPECT_EQ(problemField("credit.low_balance", R"({"remaining":10,"threshold":5})"), "data.remaining");
    EXPECT_EQ(problemField("credit.low_balance", R"({"remaining":1,"threshold":true})"), "data.threshold");
    EXPECT_EQ(problemField("credit.low_balance", R"({"remaining":1,"threshold":5})"), "<accepted>");
}

}  // namespace
}  // namespace smbhub::events
