// One `smb-hub serve` per SQLite database file. A second process on the same file would release
// the first one's delivery leases at start-up (SQLite's crash recovery assumes one owner) and both
// would send the same deliveries. The lock is an flock on "<database>.serve-lock", so it goes with
// the process however it ends (a SIGKILL included) and the next start takes it at once.
//
// Thread-safety: held by the serve command for the life of the process; not shared between threads.
#pragma once

#include <string>

namespace smbhub::store {

class SingleProcessLock {
public:
    // Throws StoreUnavailable naming the file when another process holds it.
    explicit SingleProcessLock(const std::string& databaseFile);
    ~SingleProcessLock();
    SingleProcessLock(const SingleProcessLock&) = delete;
    SingleProcessLock& operator=(const SingleProcessLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace smbhub::store
