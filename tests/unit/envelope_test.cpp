// The envelope a receiver gets (SPEC §8), built from the event's fields and its data.
#include <gtest/gtest.h>

#include "events/Envelope.h"

namespace smbhub::events {
namespace {

store::Event event(bool test) {
    store::Event e;
    e.id = "evt_1";
    e.type = "lead.created";
    e.accountId = "acc_1";
    e.createdAt = 1700000000123;
    e.test = test;
    e.dataJson = R"({"count":1,"leads":[{"name":"Caf\u00e9 \"Q\""}]})";
    return e;
}

TEST(Envelope, HoldsTheEventsFieldsThenItsData) {
    const Envelope envelope(event(false));
    EXPECT_EQ(envelope.json(),
              R"({"id":"evt_1","type":"lead.created","createdAt":"2023-11-14T22:13:20.123Z","accountId":"acc_1",)"
              R"("data":{"count":1,"leads":[{"name":"Caf\u00e9 \"Q\""}]}})");
    EXPECT_EQ(envelope.dataJson(), R"({"count":1,"leads":[{"name":"Caf\u00e9 \"Q\""}]})");
    EXPECT_EQ(envelope.createdAtIso(), "2023-11-14T22:13:20.123Z");
}

TEST(Envelope, MarksTestEvents) {
    const Envelope envelope(event(true));
    EXPECT_NE(envelope.json().find(R"("accountId":"acc_1","test":true,"data":)"), std::string::npos) << envelope.json();
}

TEST(Envelope, EscapesWhatItQuotes) {
    store::Event e = event(false);
    e.accountId = "acc_\"quoted\"\n";
    EXPECT_NE(Envelope(e).json().find(R"("accountId":"acc_\"quoted\"\n")"), std::string::npos) << Envelope(e).json();
}

}  // namespace
}  // namespace smbhub::events
