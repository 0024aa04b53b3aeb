#include <Poco/JSON/Object.h>

#include <iostream>

#include "accounts/AccountService.h"
#include "cli/CommandLine.h"
#include "config/HubConfig.h"
#include "core/Logging.h"
#include "store/StoreFactory.h"

namespace smbhub::cli {
namespace {

std::string required(const CommandLine& line, const std::string& name) {
    auto value = line.option(name);
    if (!value || value->empty()) throw UsageError("--" + name + " is required");
    return *value;
}

int create(const CommandLine& line, store::AccountStore& accounts) {
    line.allowOnly({"config", "name", "plan"});
    accounts::CreatedAccount created;
    try {
        created = accounts::createAccount(accounts, required(line, "name"), required(line, "plan"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", created.account.id);
    out.set("name", created.account.name);
    out.set("plan", created.account.plan);
    out.set("apiKey", created.apiKey);
    out.stringify(std::cout);
    std::cout << "\n";
    return 0;
}

int set(const CommandLine& line, store::AccountStore& accounts) {
    line.allowOnly({"config", "id", "plan", "status"});
    const std::string id = required(line, "id");
    const auto plan = line.option("plan");
    const auto status = line.option("status");
    if (!plan && !status) throw UsageError("give --plan and/or --status");
    if (plan && plan->empty()) throw UsageError("--plan must not be empty");
    if (status && !accounts::isAccountStatus(*status)) throw UsageError("--status must be active or suspended");
    if (!accounts.update(id, plan, status)) {
        std::cerr << "smb-hub: no account " << id << "\n";
        return 1;
    }
    const auto account = accounts.find(id);
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("id", account->id);
    out.set("name", account->name);
    out.set("plan", account->plan);
    out.set("status", account->status);
    out.stringify(std::cout);
    std::cout << "\n";
    return 0;
}

}  // namespace

int runAccount(const CommandLine& line) {
    const config::HubConfig config = config::loadHubConfig(line.configPath());
    core::setUpLogging("warning");
    auto stores = store::openStores(config.database.url, config.database.poolSize, config.database.timeout);
    store::AccountStore& accounts = stores->stores().accounts;
    return line.verb == "create" ? create(line, accounts) : set(line, accounts);
}

}  // namespace smbhub::cli
