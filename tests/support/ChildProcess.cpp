#include "support/ChildProcess.h"

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "support/TempDir.h"

namespace smbhub::test {
namespace {

// The child's output goes straight to files through the shell's redirection, so nothing in the
// test has to drain pipes; `exec` keeps the pid of the shell, so signals reach the real program.
Poco::ProcessHandle launchWithRedirection(const ChildProcess::Launch& launch) {
    const std::string redirect = launch.appendOutput ? ">>" : ">";
    const std::string stderrPart =
        launch.stderrFile.empty() ? " 2>&1" : " 2" + redirect + "\"$err\"";
    const std::string script =
        "out=$1; err=$2; shift 2; exec \"$@\" " + redirect + "\"$out\"" + stderrPart;
    std::vector<std::string> args = {"-c", script, "sh", launch.stdoutFile, launch.stderrFile,
                                     launch.command};
    args.insert(args.end(), launch.args.begin(), launch.args.end());
    Poco::Process::Env env(launch.env.begin(), launch.env.end());
    return Poco::Process::launch("/bin/sh", args, launch.workingDir, nullptr, nullptr, nullptr,
                                 env);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::string CommandResult::describe() const {
    std::ostringstream text;
    text << (timedOut ? "timed out" : "exit " + std::to_string(exitCode)) << "; stdout: " << out
         << "; stderr: " << err;
    return text.str();
}

ChildProcess::ChildProcess(const Launch& launch)
    : handle_(launchWithRedirection(launch)), pid_(handle_.id()) {}

ChildProcess::~ChildProcess() {
    try {
        if (running()) killNow();
    } catch (...) {
        // A destructor must not throw; the process is gone or unreachable either way.
    }
}

bool ChildProcess::running() { return !exitCode().has_value(); }

std::optional<int> ChildProcess::exitCode() {
    if (!exitCode_) {
        const int code = handle_.tryWait();
        if (code != -1) exitCode_ = code;
    }
    return exitCode_;
}

bool ChildProcess::waitFor(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void ChildProcess::signal(int signalNumber) {
    if (running()) ::kill(static_cast<pid_t>(pid_), signalNumber);
}

void ChildProcess::killNow() {
    signal(SIGKILL);
    waitFor(std::chrono::seconds(10));
}

CommandResult ChildProcess::run(const std::string& command, const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout,
                                const std::map<std::string, std::string>& env,
                                const std::string& workingDir) {
    TempDir outputDir("smbhub-cmd");
    Launch launch;
    launch.command = command;
    launch.args = args;
    launch.workingDir = workingDir;
    launch.stdoutFile = outputDir.file("stdout");
    launch.stderrFile = outputDir.file("stderr");
    launch.env = env;

    CommandResult result;
    ChildProcess child(launch);
    if (!child.waitFor(timeout)) {
        result.timedOut = true;
        child.killNow();
    }
    result.exitCode = child.exitCode().value_or(-1);
    result.out = readFile(launch.stdoutFile);
    result.err = readFile(launch.stderrFile);
    return result;
}

}  // namespace smbhub::test
