// "New integration": the form for every live webhook provider of this hub (coming-soon and
// unavailable ones listed, disabled), with each provider's URL hint, its events as checkboxes
// and its own settings (Clay's auth token). On success the signing secret is shown once.
import {api} from "./api.js";
import {append, h, replace} from "./dom.js";
import {checkedEvents, clearErrors, eventCheckboxes, field, formError, showError} from "./forms.js";
import {secretPanel} from "./secret.js";

// "authToken" -> "Auth token"
function settingLabel(name) {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function creatable(provider) {
  return provider.kind === "webhook" && provider.status === "live" && provider.available;
}

function optionLabel(provider) {
  if (provider.status !== "live") return `${provider.name} (coming soon)`;
  if (!provider.available) return `${provider.name} (not available on this hub)`;
  return provider.name;
}

export function createForm({providers, onCreated, onCancel}) {
  const webhookProviders = providers.filter((p) => p.kind === "webhook" || p.status !== "live");
  const firstLive = webhookProviders.find(creatable);
  const container = h("section", {class: "panel create", "aria-labelledby": "create-title"});
  const providerSelect = h("select", {id: "create-provider", name: "provider", "data-field": "provider",
                                      "aria-describedby": "create-provider-about create-provider-error"},
    webhookProviders.map((p) => h("option", {value: p.id, disabled: !creatable(p),
                                             selected: firstLive && p.id === firstLive.id}, optionLabel(p))));
  const about = h("p", {class: "hint", id: "create-provider-about"});
  const perProvider = h("div", {class: "provider-fields"});
  const form = h("form", {novalidate: true, class: "form"},
    h("div", {class: "field"},
      h("label", {for: "create-provider"}, "Provider"),
      providerSelect, about,
      h("p", {class: "field-error", id: "create-provider-error", "data-error-for": "provider"})),
    field({label: "Name", apiField: "displayName", autocomplete: "off"}),
    perProvider,
    formError(),
    h("div", {class: "actions"},
      h("button", {type: "submit", class: "button primary"}, "Create"),
      h("button", {type: "button", class: "button", onclick: onCancel}, "Cancel")));

  const renderProvider = () => {
    const provider = providers.find((p) => p.id === providerSelect.value);
    about.textContent = provider ? provider.description : "";
    if (!provider) return replace(perProvider);
    replace(perProvider,
      field({label: "URL", apiField: "targetUrl", type: "url", hint: provider.urlHint || "An https:// URL",
             inputmode: "url", spellcheck: "false"}),
      eventCheckboxes(provider.events, provider.events.includes("lead.created") ? ["lead.created"] : []),
      (provider.settings || []).map((s) => field({
        label: settingLabel(s.name) + (s.required ? "" : " (optional)"), apiField: `settings.${s.name}`,
        type: s.secret ? "password" : "text", hint: s.description, autocomplete: "off"})));
  };
  providerSelect.addEventListener("change", () => {
    clearErrors(form);
    renderProvider();
  });
  renderProvider();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const provider = providers.find((p) => p.id === providerSelect.value);
    const body = {
      provider: providerSelect.value,
      displayName: form.querySelector('[data-field="displayName"]').value.trim(),
      targetUrl: form.querySelector('[data-field="targetUrl"]').value.trim(),
      events: checkedEvents(form),
    };
    const settings = {};
    for (const s of (provider && provider.settings) || []) {
      const value = form.querySelector(`[data-field="settings.${CSS.escape(s.name)}"]`).value;
      if (value !== "") settings[s.name] = value;
    }
    if (Object.keys(settings).length) body.settings = settings;
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const created = await api.create(body);
      const panel = secretPanel({
        title: "Signing secret",
        secret: created.signingSecret,
        note: `"${created.displayName}" is created. Its receiver verifies every delivery with this secret.`,
        onDone: () => onCreated(created, {done: true}),
      });
      replace(container, panel);
      onCreated(created, {done: false});
      panel.focus();
    } catch (failure) {
      showError(form, failure);
    } finally {
      submit.disabled = false;
    }
  });

  return append(container, [h("h2", {id: "create-title"}, "New integration"),
                             firstLive ? form : h("p", {}, "No webhook provider is available on this hub.")]);
}
