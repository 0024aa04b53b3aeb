#include "delivery/outbound/AsioHttpSender.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "delivery/outbound/Exchange.h"

namespace smbhub::delivery {
namespace outbound {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kSweepInterval = std::chrono::seconds(1);

void refuse(HttpSender::Completion& done, Clock::time_point started) {
    HttpResponse response;
    response.error = "sender stopped";
    response.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    invokeSafely(done, std::move(response));
}

}  // namespace

AsioHttpSender::AsioHttpSender(const HttpSenderOptions& options)
    : state_(options), work_(boost::asio::make_work_guard(*state_.io)), sweeper_(*state_.io) {
    scheduleSweep();
    const int threads = std::max(1, options.ioThreads);
    threads_.reserve(static_cast<std::size_t>(threads));
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { runIo(); });
}

AsioHttpSender::~AsioHttpSender() { stop(); }

void AsioHttpSender::send(HttpRequest request, Completion done) {
    const auto started = Clock::now();
    std::shared_lock lock(stateMutex_);
    if (stopped_) {
        lock.unlock();
        return refuse(done, started);
    }
    try {
        std::make_shared<Exchange>(state_, std::move(request), std::move(done), started)->start();
    } catch (...) {
        // Only allocation can fail here; if `done` was not handed over yet, answer now.
        lock.unlock();
        refuse(done, started);
    }
}

void AsioHttpSender::stop() {
    {
        std::unique_lock lock(stateMutex_);
        if (!stopped_) {
            stopped_ = true;
            work_.reset();
            state_.io->stop();
        }
    }
    // From a completion on an I/O thread we cannot join ourselves; the destructor will.
    if (!onIoThread()) shutdown();
}

void AsioHttpSender::runIo() {
    while (true) {
        try {
            state_.io->run();
            return;
        } catch (...) {
            // Exchanges catch their own exceptions; anything else must not end the thread.
        }
    }
}

void AsioHttpSender::scheduleSweep() {
    sweeper_->expires_after(kSweepInterval);
    sweeper_->async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        state_.idle.sweep();
        scheduleSweep();
    });
}

bool AsioHttpSender::onIoThread() const {
    const auto self = std::this_thread::get_id();
    return std::any_of(threads_.begin(), threads_.end(),
                       [&](const std::thread& t) { return t.get_id() == self; });
}

// Joins the threads, then destroys what still refers to the io_context. Destroying the
// io_context destroys every handler still queued; with them go the last references to
// unfinished exchanges, whose destructors call `done` with "sender stopped before the request
// completed".
void AsioHttpSender::shutdown() {
    std::lock_guard lock(shutdownMutex_);
    if (!state_.io) return;
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    state_.dns->stop();
    state_.dns->join();
    state_.dns.reset();
    sweeper_.reset();
    state_.idle.clear();
    state_.io.reset();
}

}  // namespace outbound

std::unique_ptr<HttpSender> makeAsioHttpSender(const HttpSenderOptions& options) {
    return std::make_unique<outbound::AsioHttpSender>(options);
}

}  // namespace smbhub::delivery
