// A child process started by a test, with stdout and stderr going to files, that can be polled,
// signalled and waited for with a deadline. The destructor kills a child still running, so a
// failing test never leaves a process behind. Not thread-safe (one owner).
//
// `run` is the one-shot form for command-line tools (openssl, node, `smb-hub account create`):
// it waits for the exit (killing the tool at the deadline) and returns what it printed.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Process.h>

namespace smbhub::test {

struct CommandResult {
    int exitCode = -1;  // 256 + signal number when the process was killed by a signal
    bool timedOut = false;
    std::string out;
    std::string err;

    // "exit 3; stderr: …" — for assertion messages.
    std::string describe() const;
};

class ChildProcess {
public:
    struct Launch {
        std::string command;
        std::vector<std::string> args;
        std::string workingDir;              // empty: the test's own
        std::string stdoutFile;              // required
        std::string stderrFile;              // empty: same file as stdout
        bool appendOutput = false;           // keep what earlier runs wrote to the files
        std::map<std::string, std::string> env;  // added to the test's environment
    };

    explicit ChildProcess(const Launch& launch);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    long pid() const { return pid_; }
    bool running();
    // The exit code once the process has ended (see CommandResult::exitCode).
    std::optional<int> exitCode();
    // Waits until the process ends or `timeout` passes; true when it ended.
    bool waitFor(std::chrono::milliseconds timeout);
    void signal(int signalNumber);
    // SIGKILL and reap.
    void killNow();

    static CommandResult run(const std::string& command, const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout,
                             const std::map<std::string, std::string>& env = {},
                             const std::string& workingDir = "");

private:
    Poco::ProcessHandle handle_;
    long pid_ = 0;
    std::optional<int> exitCode_;
};

}  // namespace smbhub::test
