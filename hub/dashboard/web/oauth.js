// "Connect" for the CRM providers (HubSpot, Salesforce production or sandbox, Pipedrive): asks
// the hub for the provider's authorization URL and goes there; the provider sends the browser
// back through the hub to this page with ?provider=…&status=… (returnMessage reads it).
import {api} from "./api.js";
import {h} from "./dom.js";

const REASONS = {
  provider_unavailable: "this provider is not available on this hub",
  missing_state: "the provider's answer had no state",
  invalid_state: "the sign-in link was not recognised",
  state_reused: "that sign-in link was already used",
  state_expired: "the sign-in took longer than 10 minutes",
  access_denied: "access was declined",
  missing_code: "the provider did not grant access",
  account_mismatch: "you are signed in here as another account than the one that started",
};

function providerName(providers, id) {
  const found = providers.find((p) => p.id === id);
  return found ? found.name : id;
}

// The message for a return from OAuth, or null when the URL carries none.
export function returnMessage(search, providers) {
  const params = new URLSearchParams(search);
  const provider = params.get("provider");
  const status = params.get("status");
  if (!provider || !status) return null;
  const name = providerName(providers, provider);
  if (status === "connected") return {ok: true, text: `${name} is connected.`};
  const reason = params.get("reason") || "unknown";
  return {ok: false, text: `${name} could not be connected: ${REASONS[reason] || reason} (${reason}).`};
}

export function connectSection(providers, onError) {
  const oauth = providers.filter((p) => p.kind === "oauth");
  if (!oauth.length) return null;
  const start = async (provider, query, button) => {
    button.disabled = true;
    try {
      const started = await api.oauthStart(provider.id, query);
      window.location.assign(started.url);
    } catch (failure) {
      onError(`${provider.name}: ${failure.message}`);
      button.disabled = false;
    }
  };
  const card = (provider) => {
    const unavailable = !provider.available;
    const button = h("button", {type: "button", class: "button", disabled: unavailable,
                                "aria-describedby": `connect-${provider.id}-about`}, "Connect");
    let environment = null;
    if (provider.id === "salesforce") {
      environment = h("select", {id: "connect-salesforce-env", disabled: unavailable},
        h("option", {value: "production"}, "Production"),
        h("option", {value: "sandbox"}, "Sandbox"));
    }
    button.addEventListener("click", () => start(provider, environment ? `?env=${environment.value}` : "", button));
    const labelId = `connect-${provider.id}-name`;
    return h("li", {class: "connect-card", "aria-labelledby": labelId},
      h("h3", {id: labelId}, provider.name,
        provider.status !== "live" ? h("span", {class: "badge"}, "Coming soon") : null),
      h("p", {class: "hint", id: `connect-${provider.id}-about`},
        unavailable ? "Not configured on this hub yet." : provider.description),
      h("div", {class: "actions"}, environment ? h("label", {for: "connect-salesforce-env", class: "visually-hidden"},
        "Salesforce environment") : null, environment, button));
  };
  return h("section", {class: "panel connect", "aria-labelledby": "connect-title"},
    h("h2", {id: "connect-title"}, "Connect a CRM"),
    h("ul", {class: "connect-list"}, oauth.map(card)));
}
