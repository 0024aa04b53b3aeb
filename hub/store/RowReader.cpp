#include "store/RowReader.h"

#include <Poco/Exception.h>

namespace smbhub::store {

Rows::Rows(Poco::Data::Statement& executed) : set_(executed) {
    names_.reserve(set_.columnCount());
    for (std::size_t i = 0; i < set_.columnCount(); ++i) names_.push_back(set_.columnName(i));
}

std::size_t Row::column(std::string_view name) const {
    for (std::size_t i = 0; i < rows_.names_.size(); ++i) {
        if (rows_.names_[i] == name) return i;
    }
    throw Poco::NotFoundException("column " + std::string(name));
}

bool Row::isNull(std::string_view name) const { return rows_.set_.isNull(column(name), index_); }

std::string Row::text(std::string_view name) const {
    const std::size_t i = column(name);
    if (rows_.set_.isNull(i, index_)) return {};
    return rows_.set_.value(i, index_).convert<std::string>();
}

std::int64_t Row::integer(std::string_view name) const {
    const std::size_t i = column(name);
    if (rows_.set_.isNull(i, index_)) return 0;
    return rows_.set_.value(i, index_).convert<Poco::Int64>();
}

std::optional<std::string> Row::optionalText(std::string_view name) const {
    if (isNull(name)) return std::nullopt;
    return text(name);
}

std::optional<std::int64_t> Row::optionalInteger(std::string_view name) const {
    if (isNull(name)) return std::nullopt;
    return integer(name);
}

}  // namespace smbhub::store
