// `smb-hub secrets rotate-key --new-key-file FILE`: every sealed value in the database (the
// integrations' signing secrets and secret settings, which hold the OAuth tokens and plugin
// credentials) is re-encrypted under the key in FILE, in one transaction (integrations/KeyRotation).
// Then the hubs are started with that key as `secrets.key` (docs/operations.md "Rotating
// secrets").
//
// Refused, with nothing changed and a reason on stderr (exit 1): a file that cannot be read or
// does not hold the base64 of exactly 32 bytes, the current key itself, a secrets.key the
// configuration does not set (generated into hub-secrets.yaml: copy it into the configuration
// first), a `serve` running on the same SQLite file, a value neither key opens.
#include <boost/algorithm/string/trim.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/CommandLine.h"
#include "config/GeneratedSecrets.h"
#include "config/HubConfig.h"
#include "core/DatabaseUrl.h"
#include "core/Encoding.h"
#include "core/Logging.h"
#include "integrations/KeyRotation.h"
#include "store/SingleProcessLock.h"
#include "store/StoreFactory.h"

namespace smbhub::cli {
namespace {

// The key in `path`: the base64 of 32 bytes, as secrets.key takes it (surrounding whitespace,
// such as the newline `openssl rand -base64 32 > FILE` writes, is ignored).
std::string readNewKey(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read the new key file " + path + ": " + std::strerror(errno) +
                                 "; nothing was changed");
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string encoded = text.str();
    boost::algorithm::trim(encoded);
    const auto key = core::base64Decode(encoded);
    if (encoded.empty() || !key || key->size() != 32) {
        throw std::runtime_error("the new key file " + path +
                                 " must hold the base64 of exactly 32 bytes (e.g. `openssl rand -base64 32 > " + path +
                                 "`); nothing was changed");
    }
    return *key;
}

int rotateKey(const CommandLine& line) {
    line.allowOnly({"config", "new-key-file"});
    const auto keyFile = line.option("new-key-file");
    if (!keyFile || keyFile->empty()) throw UsageError("smb-hub secrets rotate-key needs --new-key-file FILE");
    const config::HubConfig config = config::loadHubConfig(line.configPath());
    core::setUpLogging("warning");
    if (config.secrets.key.empty()) {
        throw std::runtime_error("secrets.key is not set in " + line.configPath() +
                                 " (it was generated into " + config::generatedSecretsFile(config) +
                                 "): set secrets.key to that value first, so that the hubs can be given the new "
                                 "one; nothing was changed");
    }
    const std::string currentKey = config::decodeSecretsKey(config.secrets.key);
    const std::string newKey = readNewKey(*keyFile);
    if (newKey == currentKey) {
        throw std::runtime_error("the new key file holds the current secrets.key; nothing was changed");
    }

    std::optional<store::SingleProcessLock> sqliteOwner;  // no serve may write meanwhile
    if (core::isSqliteUrl(config.database.url)) sqliteOwner.emplace(core::sqlitePath(config.database.url));
    auto database = store::openStores(config.database.url, config.database.poolSize, config.database.timeout);

    integrations::KeyRotation rotation(currentKey, newKey);
    const std::size_t rows = database->stores().integrations.resealAll(
        [&rotation](const store::SealedSecrets& row) { return rotation.reseal(row); });
    std::cout << "re-encrypted " << rotation.rotated() << " sealed values (" << rows
              << " integrations) under the new key";
    if (rotation.alreadyRotated() > 0) std::cout << "; " << rotation.alreadyRotated() << " were under it already";
    std::cout << ".\nStart every hub with the new key as secrets.key.\n";
    return 0;
}

}  // namespace

int runSecrets(const CommandLine& line) {
    if (line.verb == "rotate-key") return rotateKey(line);
    throw UsageError("smb-hub secrets takes rotate-key");
}

}  // namespace smbhub::cli
