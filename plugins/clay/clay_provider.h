// Clay (SPEC §9): a Clay table's "Import data" webhook, https://api.clay.com/…, where each JSON
// object received becomes one table row.
//
// So a lead event (lead.created, lead.updated) is rendered as one request per sample lead in
// `data.leads`, the lead's fields flattened to columns (clay_row.h) plus `event_id`,
// `event_type`, `export_id` when the event names an export, and `event_test: true` on the hub's
// synthetic test events so they can be filtered out of the table. Any other event is one row of
// its flattened `data` plus the same event columns. These columns are written after the lead's
// own and replace same-named ones, so every row can be traced to its event.
//
// The hub signs each row and resumes a partly sent rendering at its first unsent row, so a
// retry never duplicates rows Clay already took. An optional `settings.authToken` (secret) is
// sent as `x-clay-webhook-auth`, the header Clay checks when the source has an auth token.
//
// Thread-safety: stateless after construction.
#pragma once

#include <smbhub/sdk/provider.h>

namespace smbhub::providers {

// Rows one Clay webhook source accepts in its lifetime; after that Clay refuses them and the user
// needs a new source (a new URL). The hub counts rows sent to warn before this.
inline constexpr unsigned long long kClayRowLimit = 50000;

class ClayProvider final : public sdk::Provider {
public:
    sdk::ProviderInfo describe() const override;
    sdk::Validation validate(const sdk::IntegrationInput& input) const override;
    std::vector<sdk::OutboundRequest> render(const sdk::EventView& event,
                                             const sdk::IntegrationView& integration) const override;
};

}  // namespace smbhub::providers
