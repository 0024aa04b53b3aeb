// The code blocks a document marks for testing, taken from the file as it is, so that what the
// docs show is what the tests run. A block is marked by an HTML comment on the line right before
// its opening fence (both may be indented alike, inside a list item):
//
//   <!-- snippet: node/verify.js -->
//   ```js
//   …
//   ```
//
// Immutable after construction; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace smbhub::test {

class DocSnippets {
public:
    // Reads `markdownFile`; throws std::runtime_error when it cannot be read, when a marker is not
    // followed by a fenced block, or when a name is marked twice.
    explicit DocSnippets(const std::string& markdownFile);

    // The block's text without its fences (ending with a newline); throws naming the file when
    // there is no such snippet.
    const std::string& get(const std::string& name) const;
    std::vector<std::string> names() const;
    // The whole document.
    const std::string& text() const { return text_; }

private:
    std::string file_;
    std::string text_;
    std::map<std::string, std::string> snippets_;
};

}  // namespace smbhub::test
