#include "support/HttpsReceiver.h"

#include <condition_variable>
#include <map>
#include <mutex>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "support/ProcessSetup.h"
#include "support/TestCertificates.h"

namespace smbhub::test {

struct HttpsReceiver::State {
    struct PathState {
        ReceiverBehaviour behaviour;
        std::size_t served = 0;  // requests answered under the current behaviour
    };

    mutable std::mutex mutex;
    mutable std::condition_variable changed;  // a request arrived, a release or a stop
    std::vector<ReceivedRequest> received;
    std::map<std::string, PathState> paths;
    std::size_t releaseGeneration = 0;
    bool stopping = false;
};

namespace {

constexpr int kMaxConcurrentRequests = 1000;

class RecordingHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit RecordingHandler(std::shared_ptr<HttpsReceiver::State> state)
        : state_(std::move(state)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        ReceivedRequest received = read(request);
        std::size_t releaseGeneration = 0;
        const ReceiverReply reply = record(received, releaseGeneration);
        hold(reply, releaseGeneration);
        answer(reply, response);
    }

private:
    static ReceivedRequest read(Poco::Net::HTTPServerRequest& request) {
        ReceivedRequest received;
        received.method = request.getMethod();
        const Poco::URI uri(request.getURI());
        received.path = uri.getPath();
        received.query = uri.getRawQuery();
        received.headers = static_cast<const Poco::Net::NameValueCollection&>(request);
        Poco::StreamCopier::copyToString(request.stream(), received.body);
        received.arrivedAt = std::chrono::steady_clock::now();
        received.arrivedAtWall = std::chrono::system_clock::now();
        return received;
    }

    // Stores the request and picks its reply in one step, so concurrent requests to one path
    // get consecutive replies of the script. The release generation is read in the same step: a
    // releaseHanging() that follows a request's arrival must release it.
    ReceiverReply record(ReceivedRequest& received, std::size_t& releaseGeneration) {
        std::lock_guard lock(state_->mutex);
        releaseGeneration = state_->releaseGeneration;
        auto& path = state_->paths[received.path];
        ReceiverReply reply = path.behaviour.replyFor(path.served++);
        received.answeredStatus = reply.status;
        state_->received.push_back(std::move(received));
        state_->changed.notify_all();
        return reply;
    }

    void hold(const ReceiverReply& reply, std::size_t generation) {
        if (!reply.hangUntilReleased && reply.hang.count() <= 0) return;
        std::unique_lock lock(state_->mutex);
        const auto released = [&] {
            return state_->stopping || state_->releaseGeneration != generation;
        };
        if (reply.hangUntilReleased) {
            state_->changed.wait(lock, released);
        } else {
            state_->changed.wait_for(lock, reply.hang, released);
        }
    }

    static void answer(const ReceiverReply& reply, Poco::Net::HTTPServerResponse& response) {
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        for (const auto& [name, value] : reply.headers) response.set(name, value);
        response.setContentType("text/plain");
        response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        response.setKeepAlive(false);
        // The hub may have given up on a held request and closed the connection: nothing to do.
        try {
            response.send() << reply.body << std::flush;
        } catch (const Poco::Exception&) {
        } catch (const std::exception&) {
        }
    }

    std::shared_ptr<HttpsReceiver::State> state_;
};

class RecordingHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RecordingHandlerFactory(std::shared_ptr<HttpsReceiver::State> state)
        : state_(std::move(state)) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new RecordingHandler(state_);
    }

private:
    std::shared_ptr<HttpsReceiver::State> state_;
};

Poco::Net::Context::Ptr serverContext(const TestCertificates& certificates) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = certificates.keyFile();
    params.certificateFile = certificates.certFile();
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = false;
    return new Poco::Net::Context(Poco::Net::Context::SERVER_USE, params);
}

}  // namespace

HttpsReceiver::HttpsReceiver(const TestCertificates& certificates)
    : state_(std::make_shared<State>()), threads_(2, kMaxConcurrentRequests) {
    ignoreSigpipe();
    initializeTls();
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0),
                                         kMaxConcurrentRequests, serverContext(certificates));
    port_ = socket.address().port();

    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kMaxConcurrentRequests);
    params->setMaxQueued(kMaxConcurrentRequests);
    params->setKeepAlive(false);
    // Bounds how long a connection that never sends a request can hold a thread at stop().
    params->setTimeout(Poco::Timespan(10, 0));
    server_ = std::make_unique<Poco::Net::HTTPServer>(new RecordingHandlerFactory(state_),
                                                      threads_, socket, params);
    server_->start();
}

HttpsReceiver::~HttpsReceiver() { stop(); }

std::string HttpsReceiver::url(const std::string& path) const { return url("localhost", path); }

std::string HttpsReceiver::url(const std::string& host, const std::string& path) const {
    return "https://" + host + ":" + std::to_string(port_) + path;
}

void HttpsReceiver::setBehaviour(const std::string& path, const ReceiverBehaviour& behaviour) {
    std::lock_guard lock(state_->mutex);
    state_->paths[path] = State::PathState{behaviour, 0};
}

void HttpsReceiver::releaseHanging() {
    std::lock_guard lock(state_->mutex);
    ++state_->releaseGeneration;
    state_->changed.notify_all();
}

std::vector<ReceivedRequest> HttpsReceiver::requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->received;
}

std::vector<ReceivedRequest> HttpsReceiver::requests(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    std::vector<ReceivedRequest> matching;
    for (const auto& request : state_->received) {
        if (request.path == path) matching.push_back(request);
    }
    return matching;
}

std::size_t HttpsReceiver::count(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    std::size_t n = 0;
    for (const auto& request : state_->received) n += request.path == path ? 1 : 0;
    return n;
}

bool HttpsReceiver::waitForRequests(const std::string& path, std::size_t count,
                                    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] {
        std::size_t n = 0;
        for (const auto& request : state_->received) n += request.path == path ? 1 : 0;
        return n >= count;
    });
}

void HttpsReceiver::clear() {
    std::lock_guard lock(state_->mutex);
    state_->received.clear();
}

void HttpsReceiver::stop() {
    if (!server_) return;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        state_->changed.notify_all();
    }
    server_->stop();
    threads_.joinAll();
    server_.reset();
}

}  // namespace smbhub::test
