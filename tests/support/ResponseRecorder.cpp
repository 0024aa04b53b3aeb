#include "support/ResponseRecorder.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "support/JsonText.h"

namespace smbhub::test {
namespace {

// Bodies past this are noted, not kept (no API answer comes near it; the dashboard's files are
// not JSON and are not kept at all).
constexpr std::size_t kMaxRecordedBody = 1024 * 1024;

std::string mediaTypeOf(const std::string& contentType) {
    std::string type = contentType.substr(0, contentType.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    return type;
}

}  // namespace

std::string apiResponsesFile() {
#ifdef SMBHUB_API_RESPONSES_DIR
    return std::string(SMBHUB_API_RESPONSES_DIR) + "/" + std::to_string(::getpid()) + ".jsonl";
#else
    return "";
#endif
}

void recordApiResponse(const ApiRequest& request, const ApiResponse& response) {
    const std::string file = apiResponsesFile();
    if (file.empty() || response.status == 0) return;
    const std::string contentType = mediaTypeOf(response.header("Content-Type"));
    std::string line = "{\"method\":" + jsonQuote(request.method) + ",\"target\":" + jsonQuote(request.path) +
                       ",\"status\":" + std::to_string(response.status) + ",\"contentType\":" + jsonQuote(contentType) +
                       ",\"bodyBytes\":" + std::to_string(response.body.size());
    if (contentType == "application/json" && response.body.size() <= kMaxRecordedBody) {
        line += ",\"body\":" + jsonQuote(response.body);
    }
    line += "}\n";

    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ignored);
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << line;  // one write of a whole line: a reader never sees half of one but at the end
}

}  // namespace smbhub::test
