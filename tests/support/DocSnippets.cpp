#include "support/DocSnippets.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace smbhub::test {
namespace {

constexpr std::string_view kMarkerStart = "<!-- snippet: ";
constexpr std::string_view kMarkerEnd = " -->";

bool startsWith(const std::string& line, std::string_view prefix) {
    return line.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

DocSnippets::DocSnippets(const std::string& markdownFile) : file_(markdownFile) {
    std::ifstream in(markdownFile, std::ios::binary);
    if (!in) throw std::runtime_error("DocSnippets: cannot read " + markdownFile);
    std::ostringstream content;
    content << in.rdbuf();
    text_ = content.str();

    std::istringstream lines(text_);
    std::string line;
    while (std::getline(lines, line)) {
        // A marker and its block may be indented together (inside a list item).
        const std::size_t indentLength = line.find_first_not_of(' ');
        if (indentLength == std::string::npos) continue;
        const std::string indent(indentLength, ' ');
        const std::string marker = line.substr(indentLength);
        if (!startsWith(marker, kMarkerStart)) continue;
        const std::size_t end = marker.find(kMarkerEnd, kMarkerStart.size());
        if (end == std::string::npos) throw std::runtime_error(file_ + ": unterminated marker: " + line);
        const std::string name = marker.substr(kMarkerStart.size(), end - kMarkerStart.size());
        std::string fence;
        if (!std::getline(lines, fence) || !startsWith(fence, indent + "```")) {
            throw std::runtime_error(file_ + ": snippet " + name + " is not followed by a fenced block");
        }
        std::string body;
        bool closed = false;
        while (std::getline(lines, line)) {
            if (line == indent + "```") {
                closed = true;
                break;
            }
            body += (startsWith(line, indent) ? line.substr(indentLength) : line) + "\n";
        }
        if (!closed) throw std::runtime_error(file_ + ": snippet " + name + " has no closing fence");
        if (!snippets_.emplace(name, body).second) {
            throw std::runtime_error(file_ + ": snippet " + name + " is marked twice");
        }
    }
}

const std::string& DocSnippets::get(const std::string& name) const {
    const auto found = snippets_.find(name);
    if (found == snippets_.end()) throw std::runtime_error(file_ + " has no snippet " + name);
    return found->second;
}

std::vector<std::string> DocSnippets::names() const {
    std::vector<std::string> names;
    for (const auto& [name, body] : snippets_) names.push_back(name);
    return names;
}

}  // namespace smbhub::test
