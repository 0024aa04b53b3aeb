#include "common/event_types.h"

namespace smbhub::providers {

std::vector<std::string> allEventTypes() {
    return {"lead.created", "lead.updated", "export.completed", "email_schedule.sent",
            "credit.low_balance"};
}

}  // namespace smbhub::providers
