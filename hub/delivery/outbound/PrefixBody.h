// A Beast body for responses that reads a body to its end (to keep the connection usable) but
// keeps only its first 1 KiB, so hundreds of concurrent large responses cost no memory, and
// the parser that reads a response with it.
//
// It also enforces the 1 MiB body limit, after taking the prefix so the delivery log can still
// show what the server said: a body declared larger stops being read once the prefix is in, one
// that turns out larger (chunked, close-delimited) once it passes the limit; either way the
// parser reports http::error::body_limit and the connection is closed. (Beast 1.74's own
// body_limit is not used: basic_parser::put drops that error when body bytes arrive in the same
// read as the header, so it would fire or not depending on timing.)
//
// Thread-safety: none; a body and its parser belong to one Exchange and are used on its strand.
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace smbhub::delivery::outbound {

constexpr std::size_t kBodyPrefixBytes = 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;

struct PrefixBody {
    struct value_type {
        std::string prefix;
        std::uint64_t received = 0;
    };

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        void init(const boost::optional<std::uint64_t>& contentLength,
                  boost::system::error_code& ec) {
            ec = {};
            declaredTooLarge_ = contentLength && *contentLength > kBodyLimit;
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
            ec = {};
            std::size_t total = 0;
            for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
                total += buffer.size();
                const auto room = kBodyPrefixBytes - body_.prefix.size();
                const auto take = std::min(room, buffer.size());
                body_.prefix.append(static_cast<const char*>(buffer.data()), take);
            }
            body_.received += total;
            const bool prefixComplete = body_.prefix.size() == kBodyPrefixBytes;
            if (body_.received > kBodyLimit || (declaredTooLarge_ && prefixComplete)) {
                ec = boost::beast::http::error::body_limit;
            }
            return total;
        }

        void finish(boost::system::error_code& ec) { ec = {}; }

    private:
        value_type& body_;
        bool declaredTooLarge_ = false;
    };
};

using ResponseParser = boost::beast::http::response_parser<PrefixBody>;

}  // namespace smbhub::delivery::outbound
