// Checks on a plugin library file before and after the system loader sees it.
//
// Thread-safety: pure functions of the file, safe from any thread.
#pragma once

#include <boost/system/error_code.hpp>

#include <string>

namespace smbhub::plugins {

// Why `file` would be mapped past its end, or "". dlopen maps the loadable segments a file's
// program headers promise without checking that the file holds them; touching a page past the
// end then kills the process with SIGBUS. A library cut short by an interrupted copy must be
// refused instead.
std::string truncation(const std::string& file);

// dlopen's reason ("invalid ELF header", "wrong ELF class", …) rather than Boost.DLL's generic
// error code, without the file name it repeats.
std::string loaderError(const std::string& file, const boost::system::error_code& ec);

}  // namespace smbhub::plugins
