#include "store/SingleProcessLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/StoreErrors.h"

namespace smbhub::store {

SingleProcessLock::SingleProcessLock(const std::string& databaseFile) {
    const std::string path = databaseFile + ".serve-lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw StoreUnavailable("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        if (error == EWOULDBLOCK) {
            throw StoreUnavailable("another smb-hub serve is using " + databaseFile +
                                   " (SQLite allows one process per database file; to run several, use PostgreSQL)");
        }
        throw StoreUnavailable("cannot lock " + path + ": " + std::strerror(error));
    }
}

SingleProcessLock::~SingleProcessLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace smbhub::store
