#include "support/ReplyWire.h"

#include <ostream>

namespace smbhub::test {
namespace {

using namespace std::chrono_literals;

// Long enough that the hub reads what came before on its own, even on a loaded machine.
constexpr auto kPause = 60ms;

}  // namespace

ReplyWire ReplyWire::oneWrite() { return {}; }

ReplyWire ReplyWire::headThenBody() {
    ReplyWire wire;
    wire.separateWrites = true;
    wire.pause = kPause;
    return wire;
}

ReplyWire ReplyWire::chunked() {
    ReplyWire wire = headThenBody();
    wire.framing = Framing::Chunked;
    return wire;
}

ReplyWire ReplyWire::closeDelimited() {
    ReplyWire wire = headThenBody();
    wire.framing = Framing::CloseDelimited;
    return wire;
}

ReplyWire ReplyWire::closeDelimitedWithoutCloseNotify() {
    ReplyWire wire = closeDelimited();
    wire.closeNotify = false;
    return wire;
}

ReplyWire ReplyWire::interimFirst() {
    ReplyWire wire = headThenBody();
    wire.interim = {100, 103};
    return wire;
}

ReplyWire ReplyWire::keepingAlive() {
    ReplyWire wire = headThenBody();
    wire.keepAlive = true;
    return wire;
}

ReplyWire ReplyWire::earlyAnswer() {
    ReplyWire wire;
    wire.answerBeforeBody = true;
    wire.pause = kPause;
    return wire;
}

std::vector<ReplyWire> ReplyWire::deliveryShapes() {
    return {oneWrite(),       headThenBody(),
            chunked(),        closeDelimited(),
            closeDelimitedWithoutCloseNotify(),
            interimFirst(),   keepingAlive()};
}

std::string ReplyWire::name() const {
    if (answerBeforeBody) return "EarlyAnswer";
    if (!interim.empty()) return "InterimFirst";
    if (keepAlive) return idleTimeout.count() > 0 ? "KeepAliveClosingIdle" : "KeepAlive";
    switch (framing) {
        case Framing::Chunked: return "Chunked";
        case Framing::CloseDelimited:
            return closeNotify ? "CloseDelimited" : "CloseDelimitedNoCloseNotify";
        case Framing::ContentLength: break;
    }
    return separateWrites ? "HeadThenBody" : "OneWrite";
}

std::ostream& operator<<(std::ostream& out, const ReplyWire& wire) { return out << wire.name(); }

}  // namespace smbhub::test
