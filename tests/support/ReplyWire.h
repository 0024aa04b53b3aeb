// How the HTTPS receiver puts a reply on the wire. Real receivers differ in exactly the ways a
// careless HTTP client trips over: Python's http.server writes the head and the body apart,
// Node and many frameworks answer chunked, some old servers end the body by closing the
// connection (over TLS often without close_notify), proxies send 100 Continue or 103 Early Hints
// first, gateways refuse a request from its head alone (401, 413) and drop the connection with
// the body unread, and most keep connections alive. The delivery tests run against each shape.
// Thread-safety: a value type; copy freely.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace smbhub::test {

struct ReplyWire {
    enum class Framing {
        ContentLength,   // Content-Length: N
        Chunked,         // Transfer-Encoding: chunked
        CloseDelimited,  // neither: the body ends when the receiver closes the connection
    };

    Framing framing = Framing::ContentLength;
    // The head, then the body in two halves (two chunks when chunked), each its own write and
    // TLS record, `pause` apart; false: the whole reply in one write.
    bool separateWrites = false;
    std::chrono::milliseconds pause{0};
    // 1xx interim responses sent before the reply (100, 103), each its own write, `pause` apart.
    std::vector<int> interim;
    // The connection stays open for the next request (never with CloseDelimited). The receiver
    // closes a connection that stays idle for `idleTimeout` (zero: only at stop()).
    bool keepAlive = false;
    std::chrono::milliseconds idleTimeout{0};
    // When the receiver ends a connection: TLS close_notify first, or the TCP connection just
    // ends (a truncation as far as TLS can tell).
    bool closeNotify = true;
    // Answer as soon as the request head is read; the body is never read, and the connection is
    // dropped `pause` after the answer (with the body unread: a TCP reset).
    bool answerBeforeBody = false;

    // Content-Length, one write, Connection: close (what the receiver did before it had shapes).
    static ReplyWire oneWrite();
    static ReplyWire headThenBody();
    static ReplyWire chunked();
    static ReplyWire closeDelimited();                    // with close_notify
    static ReplyWire closeDelimitedWithoutCloseNotify();  // the TCP connection just ends
    static ReplyWire interimFirst();                      // 100 Continue and 103 Early Hints first
    static ReplyWire keepingAlive();  // several requests per connection
    static ReplyWire earlyAnswer();                       // before the request body is read

    // Every shape an ordinary reply can take (all of the above but earlyAnswer, which only makes
    // sense for refusals): what the delivery tests are parameterised over.
    static std::vector<ReplyWire> deliveryShapes();

    // "HeadThenBody", "Chunked", … — usable in a test name.
    std::string name() const;
};

// The name, so test parameters print readably.
std::ostream& operator<<(std::ostream& out, const ReplyWire& wire);

}  // namespace smbhub::test
