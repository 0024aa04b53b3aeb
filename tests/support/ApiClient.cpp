#include "support/ApiClient.h"

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include "support/JsonText.h"
#include "support/ProcessSetup.h"
#include "support/ResponseRecorder.h"

namespace smbhub::test {
namespace {

void readResponseAfterFailedWrite(Poco::Net::StreamSocket& socket,
                                  Poco::Net::HTTPResponse& response, std::string& body) {
    Poco::Net::SocketStream in(socket);
    response.read(in);
    if (response.hasContentLength()) {
        const std::streamsize length = std::max<std::streamsize>(0, response.getContentLength());
        body.resize(static_cast<std::size_t>(length));
        in.read(body.data(), length);
        body.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        Poco::StreamCopier::copyToString(in, body);  // Connection: close ends the body
    }
}

}  // namespace

ApiClient::ApiClient(std::string host, int port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {
    ignoreSigpipe();
}

ApiResponse ApiClient::send(const ApiRequest& request) const {
    ApiResponse result;
    Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout_.count()) * 1000));
    session.setKeepAlive(false);

    Poco::Net::HTTPRequest http(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    http.setKeepAlive(false);
    if (!request.bearerToken.empty()) http.set("Authorization", "Bearer " + request.bearerToken);
    for (const auto& [name, value] : request.headers) http.set(name, value);
    if (request.body) {
        http.setContentType(request.contentType);
        if (request.chunked) {
            http.setChunkedTransferEncoding(true);
        } else {
            http.setContentLength(static_cast<std::streamsize>(request.body->size()));
        }
    }

    // A server may answer (e.g. 413) and close before it has read the whole body. Poco's session
    // will not read a response after a failed write, so the response is then read straight from
    // the socket.
    bool written = false;
    std::string writeError = "the request stream failed";
    try {
        std::ostream& out = session.sendRequest(http);
        if (request.body && request.chunked) {
            // Several chunks, as a streaming client sends them.
            constexpr std::size_t kChunk = 64 * 1024;
            for (std::size_t at = 0; at < request.body->size() && out.good(); at += kChunk) {
                out.write(request.body->data() + at,
                          static_cast<std::streamsize>(std::min(kChunk, request.body->size() - at)));
                out.flush();
            }
        } else if (request.body) {
            out << *request.body;
        }
        out.flush();
        written = out.good();
    } catch (const Poco::Exception& e) {
        writeError = e.displayText();
    }

    try {
        Poco::Net::HTTPResponse response;
        if (written) {
            std::istream& in = session.receiveResponse(response);
            Poco::StreamCopier::copyToString(in, result.body);
        } else {
            Poco::Net::StreamSocket socket = session.socket();
            readResponseAfterFailedWrite(socket, response, result.body);
        }
        result.status = static_cast<int>(response.getStatus());
        result.headers = static_cast<const Poco::Net::NameValueCollection&>(response);
        result.json = parseJson(result.body);
    } catch (const Poco::Exception& e) {
        result.status = 0;
        result.transportError = e.displayText();
        if (!written) result.transportError += "; writing had failed: " + writeError;
    }
    recordApiResponse(request, result);
    return result;
}

ApiResponse ApiClient::get(const std::string& path, const std::string& bearerToken,
                           const HttpHeaders& headers) const {
    return send({"GET", path, std::nullopt, "application/json", bearerToken, headers});
}

ApiResponse ApiClient::post(const std::string& path, const std::string& jsonBody,
                            const std::string& bearerToken, const HttpHeaders& headers) const {
    return send({"POST", path, jsonBody, "application/json", bearerToken, headers});
}

ApiResponse ApiClient::patch(const std::string& path, const std::string& jsonBody,
                             const std::string& bearerToken, const HttpHeaders& headers) const {
    return send({"PATCH", path, jsonBody, "application/json", bearerToken, headers});
}

ApiResponse ApiClient::del(const std::string& path, const std::string& bearerToken,
                           const HttpHeaders& headers) const {
    return send({"DELETE", path, std::nullopt, "application/json", bearerToken, headers});
}

}  // namespace smbhub::test
