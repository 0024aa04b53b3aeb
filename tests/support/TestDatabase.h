// What a test may do to the hub's database directly, whichever backend it runs on: run a
// statement, run a query. Used for the few states the REST API cannot reach (an OAuth state past
// its ten minutes) and for checking the delivery log as a whole. It changes the data the way
// another process would: the hub is not told.
//
// Thread-safety: implementations have one owner and are not thread-safe; quote() is a pure
// function.
#pragma once

#include <string>
#include <vector>

namespace smbhub::test {

class TestDatabase {
public:
    virtual ~TestDatabase() = default;
    // Runs one statement; returns the rows it changed. Throws std::runtime_error on failure.
    virtual int execute(const std::string& sql) = 0;
    // Runs a query; every row as text values in column order (NULL as "").
    virtual std::vector<std::vector<std::string>> query(const std::string& sql) = 0;

    // `text` as an SQL string literal, quotes included (standard SQL: both backends).
    static std::string quote(const std::string& text) {
        std::string out = "'";
        for (char c : text) {
            if (c == '\'') out += '\'';
            out += c;
        }
        return out + "'";
    }
};

}  // namespace smbhub::test
