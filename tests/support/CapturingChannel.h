// A Poco log channel that keeps the text of every message it is given, for tests that read what
// the hub logged in-process (the database health state, the repeating-error log).
//
// Thread-safety: log() and lines() may be called from any thread.
#pragma once

#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <vector>

namespace smbhub::test {

class CapturingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(message.getText());
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

}  // namespace smbhub::test
