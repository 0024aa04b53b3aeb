// How the HTTPS receiver answers the requests to one path: a script of replies for the first
// requests, then one reply for every request after them. The named constructors cover what the
// delivery tests need (fail the first N, a sequence of statuses, Retry-After, hang, redirect,
// 410 Gone, hang up, refuse from the head alone, a server that serves only a few at once). A
// reply is put on the wire as its own `wire` says, else as the receiver's default
// (HttpsReceiver::setWire).
//
// Thread-safety: a value type; copy freely.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/ReplyWire.h"

namespace smbhub::test {

struct ReceiverReply {
    int status = 200;
    std::string body = "ok";
    std::vector<std::pair<std::string, std::string>> headers;
    // Hold the request this long before answering; the receiver's stop() or releaseHanging()
    // cuts it short.
    std::chrono::milliseconds hang{0};
    bool hangUntilReleased = false;  // hold until stop() or releaseHanging()
    // Read the request, then end the connection without a word: what a client sees when a
    // server closes an idle keep-alive connection just as a request on it arrives.
    bool hangUp = false;
    std::optional<ReplyWire> wire;  // unset: the receiver's default
};

class ReceiverBehaviour {
public:
    ReceiverBehaviour() = default;  // 200 "ok" to everything
    ReceiverBehaviour(std::vector<ReceiverReply> script, ReceiverReply thereafter);

    static ReceiverBehaviour status(int status, const std::string& body = "ok");
    // `count` replies with `status`, then 200.
    static ReceiverBehaviour failFirst(int count, int status);
    // One reply per status in order, then 200.
    static ReceiverBehaviour statuses(const std::vector<int>& statuses);
    // One `status` reply carrying `Retry-After: <seconds>`, then 200.
    static ReceiverBehaviour retryAfter(int status, int seconds);
    // Every request is held for `duration`, then answered 200.
    static ReceiverBehaviour hangFor(std::chrono::milliseconds duration);
    // The first request is held for `duration`, later ones are answered 200 at once.
    static ReceiverBehaviour hangFirstFor(std::chrono::milliseconds duration);
    // Every request is held until the receiver stops or releaseHanging() is called.
    static ReceiverBehaviour hangUntilReleased();
    static ReceiverBehaviour redirect(const std::string& location, int status = 302);
    static ReceiverBehaviour gone();
    // Answers the first `answered` requests 200, hangs up on the next one, then answers 200.
    static ReceiverBehaviour hangUpAfter(int answered);
    // Every request is refused with `status` as soon as its head is read (ReplyWire::earlyAnswer).
    static ReceiverBehaviour refuseFromTheHead(int status);
    // A small server: it serves `capacity` requests at once, each for `serviceTime`, then 200;
    // a request that arrives while all of them are busy stalls (is held until released, the
    // receiver stops or the client gives up) and is recorded with answeredStatus 0.
    static ReceiverBehaviour servesAtOnce(int capacity, std::chrono::milliseconds serviceTime);

    // servesAtOnce's capacity; 0: no limit (the script decides alone).
    int capacity() const { return capacity_; }

    // The reply for the request with this 0-based index among those sent to the path.
    const ReceiverReply& replyFor(std::size_t index) const;

private:
    std::vector<ReceiverReply> script_;
    ReceiverReply thereafter_;
    int capacity_ = 0;
};

}  // namespace smbhub::test
