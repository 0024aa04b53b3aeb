// Identifiers (core/Random): the random ones and the ones that sort by creation time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/Random.h"

namespace smbhub::core {
namespace {

TEST(Ids, RandomAndSortableIdsLookAlike) {
    const std::regex shape("dlv_[a-z2-7]{32}");
    EXPECT_TRUE(std::regex_match(newId("dlv"), shape)) << newId("dlv");
    EXPECT_TRUE(std::regex_match(newSortableId("dlv"), shape)) << newSortableId("dlv");
}

TEST(Ids, SortableIdsSortByTheMillisecondTheyWereMadeIn) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(newSortableId("evt"));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    // The first 10 characters after the prefix are the time: equal within a millisecond, and the
    // later id's larger across one.
    EXPECT_LT(ids.front().substr(0, 14), ids.back().substr(0, 14));
}

TEST(Ids, SortableIdsMadeInOneMillisecondDifferInTheirRandomPart) {
    std::set<std::string> ids;
    for (int i = 0; i < 10000; ++i) ids.insert(newSortableId("att"));
    EXPECT_EQ(ids.size(), 10000u);
    std::set<std::string> tails;
    for (const std::string& id : ids) tails.insert(id.substr(14));
    EXPECT_EQ(tails.size(), 10000u) << "110 random bits each";
}

}  // namespace
}  // namespace smbhub::core
