// A temporary directory that exists for the life of the object and is removed with everything in
// it when the object goes. Movable, not copyable. Not thread-safe (one owner).
#pragma once

#include <string>

namespace smbhub::test {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "smbhub-test");
    ~TempDir();
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    // `path()/name`; the file is not created.
    std::string file(const std::string& name) const;

private:
    void remove() noexcept;

    std::string path_;
};

}  // namespace smbhub::test
