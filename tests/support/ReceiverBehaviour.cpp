#include "support/ReceiverBehaviour.h"

namespace smbhub::test {
namespace {

ReceiverReply replyWithStatus(int status) {
    ReceiverReply reply;
    reply.status = status;
    reply.body = status < 400 ? "ok" : "receiver says " + std::to_string(status);
    return reply;
}

}  // namespace

ReceiverBehaviour::ReceiverBehaviour(std::vector<ReceiverReply> script, ReceiverReply thereafter)
    : script_(std::move(script)), thereafter_(std::move(thereafter)) {}

ReceiverBehaviour ReceiverBehaviour::status(int status, const std::string& body) {
    ReceiverReply reply = replyWithStatus(status);
    reply.body = body;
    return ReceiverBehaviour({}, reply);
}

ReceiverBehaviour ReceiverBehaviour::failFirst(int count, int status) {
    return ReceiverBehaviour(std::vector<ReceiverReply>(static_cast<std::size_t>(count),
                                                        replyWithStatus(status)),
                             ReceiverReply{});
}

ReceiverBehaviour ReceiverBehaviour::statuses(const std::vector<int>& statuses) {
    std::vector<ReceiverReply> script;
    for (int status : statuses) script.push_back(replyWithStatus(status));
    return ReceiverBehaviour(std::move(script), ReceiverReply{});
}

ReceiverBehaviour ReceiverBehaviour::retryAfter(int status, int seconds) {
    ReceiverReply reply = replyWithStatus(status);
    reply.headers.emplace_back("Retry-After", std::to_string(seconds));
    return ReceiverBehaviour({reply}, ReceiverReply{});
}

ReceiverBehaviour ReceiverBehaviour::hangFor(std::chrono::milliseconds duration) {
    ReceiverReply reply;
    reply.hang = duration;
    return ReceiverBehaviour({}, reply);
}

ReceiverBehaviour ReceiverBehaviour::hangFirstFor(std::chrono::milliseconds duration) {
    ReceiverReply reply;
    reply.hang = duration;
    return ReceiverBehaviour({reply}, ReceiverReply{});
}

ReceiverBehaviour ReceiverBehaviour::hangUntilReleased() {
    ReceiverReply reply;
    reply.hangUntilReleased = true;
    return ReceiverBehaviour({}, reply);
}

ReceiverBehaviour ReceiverBehaviour::redirect(const std::string& location, int status) {
    ReceiverReply reply = replyWithStatus(status);
    reply.headers.emplace_back("Location", location);
    return ReceiverBehaviour({}, reply);
}

ReceiverBehaviour ReceiverBehaviour::gone() { return ReceiverBehaviour({}, replyWithStatus(410)); }

ReceiverBehaviour ReceiverBehaviour::hangUpAfter(int answered) {
    std::vector<ReceiverReply> script(static_cast<std::size_t>(answered), ReceiverReply{});
    ReceiverReply hangUp;
    hangUp.hangUp = true;
    hangUp.status = 0;
    script.push_back(hangUp);
    return ReceiverBehaviour(std::move(script), ReceiverReply{});
}

ReceiverBehaviour ReceiverBehaviour::servesAtOnce(int capacity, std::chrono::milliseconds serviceTime) {
    ReceiverReply reply;
    reply.hang = serviceTime;
    ReceiverBehaviour behaviour({}, reply);
    behaviour.capacity_ = capacity;
    return behaviour;
}

ReceiverBehaviour ReceiverBehaviour::refuseFromTheHead(int status) {
    ReceiverReply reply = replyWithStatus(status);
    reply.wire = ReplyWire::earlyAnswer();
    return ReceiverBehaviour({}, reply);
}

const ReceiverReply& ReceiverBehaviour::replyFor(std::size_t index) const {
    return index < script_.size() ? script_[index] : thereafter_;
}

}  // namespace smbhub::test
