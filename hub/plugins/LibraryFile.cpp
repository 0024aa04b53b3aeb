#include "plugins/LibraryFile.h"

#include <dlfcn.h>
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>

namespace smbhub::plugins {

std::string truncation(const std::string& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) return "";  // dlopen will say why
    const auto size = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    Elf64_Ehdr header{};
    if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return "";  // "file too short"
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
        header.e_phentsize != sizeof(Elf64_Phdr)) {
        return "";  // not ELF64: dlopen's own message is clear
    }
    const std::uint64_t headersEnd = header.e_phoff + std::uint64_t{header.e_phnum} * header.e_phentsize;
    if (headersEnd > size) {
        return "truncated: its program headers end at byte " + std::to_string(headersEnd) + ", the file has " +
               std::to_string(size);
    }
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        in.seekg(static_cast<std::streamoff>(header.e_phoff + std::uint64_t{i} * header.e_phentsize));
        if (!in.read(reinterpret_cast<char*>(&segment), sizeof segment)) return "truncated";
        if (segment.p_type == PT_LOAD && segment.p_offset + segment.p_filesz > size) {
            return "truncated: a segment ends at byte " + std::to_string(segment.p_offset + segment.p_filesz) +
                   ", the file has " + std::to_string(size);
        }
    }
    return "";
}

std::string loaderError(const std::string& file, const boost::system::error_code& ec) {
    const char* detail = dlerror();
    if (!detail) return ec.message();
    std::string text = detail;
    if (text.rfind(file + ": ", 0) == 0) text.erase(0, file.size() + 2);
    return text;
}

}  // namespace smbhub::plugins
