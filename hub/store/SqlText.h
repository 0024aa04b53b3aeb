// Small helpers for SQL text shared by the store's statements.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <string>

namespace smbhub::store {

// "($k,$k+1,…),(…)" for `rows` tuples of `columns` placeholders numbered from `first` (for
// statements over a varying number of rows or ids). Numbers follow the order of appearance, as
// SQLite binds them by position.
inline std::string placeholderRows(std::size_t rows, std::size_t columns, std::size_t first) {
    std::string out;
    std::size_t n = first;
    for (std::size_t r = 0; r < rows; ++r) {
        out += r ? ",(" : "(";
        for (std::size_t c = 0; c < columns; ++c) {
            if (c) out += ',';
            out += '$' + std::to_string(n++);
        }
        out += ')';
    }
    return out;
}

}  // namespace smbhub::store
