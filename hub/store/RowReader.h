// The stores' one way to read query results: rows of a Poco::Data RecordSet, columns by name,
// NULL read as "", 0 or nullopt. A row-mapping function per record type (e.g. integrationFrom)
// turns a Row into a value.
//
//   Statement select(session);
//   select << "SELECT id, name FROM accounts WHERE …", bind(id), now;
//   for (const Row& row : Rows(select)) out.push_back({row.text("id"), row.text("name")});
//
// Not thread-safe: used within one store operation.
#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbhub::store {

class Rows;

class Row {
public:
    std::string text(std::string_view column) const;
    std::int64_t integer(std::string_view column) const;
    std::optional<std::string> optionalText(std::string_view column) const;
    std::optional<std::int64_t> optionalInteger(std::string_view column) const;
    bool isNull(std::string_view column) const;

private:
    friend class Rows;
    Row(const Rows& rows, std::size_t index) : rows_(rows), index_(index) {}
    std::size_t column(std::string_view name) const;

    const Rows& rows_;
    std::size_t index_;
};

class Rows {
public:
    explicit Rows(Poco::Data::Statement& executed);

    std::size_t size() const { return set_.rowCount(); }
    bool empty() const { return size() == 0; }
    Row operator[](std::size_t index) const { return Row(*this, index); }

    class Iterator {
    public:
        Iterator(const Rows& rows, std::size_t index) : rows_(rows), index_(index) {}
        Row operator*() const { return rows_[index_]; }
        Iterator& operator++() {
            ++index_;
            return *this;
        }
        bool operator!=(const Iterator& other) const { return index_ != other.index_; }

    private:
        const Rows& rows_;
        std::size_t index_;
    };
    Iterator begin() const { return Iterator(*this, 0); }
    Iterator end() const { return Iterator(*this, size()); }

    // Every row through `map` (Row → T).
    template <typename Map>
    auto map(Map&& toValue) const {
        std::vector<decltype(toValue(std::declval<const Row&>()))> out;
        out.reserve(size());
        for (std::size_t i = 0; i < size(); ++i) out.push_back(toValue((*this)[i]));
        return out;
    }

private:
    friend class Row;
    mutable Poco::Data::RecordSet set_;
    std::vector<std::string> names_;
};

}  // namespace smbhub::store
