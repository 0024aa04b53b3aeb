// The Integrations tab (SPEC §16). Signed out: the API-key form. Signed in: the account's
// integrations, "New integration", and "Connect a CRM"; an account that may not use
// integrations (suspended, or not on a paid plan) is told why and offered nothing else.
// What the page offers follows GET /api/session's `features`, read off the hub's routes.
import {api} from "./api.js";
import {createForm, creatable} from "./create.js";
import {h, replace} from "./dom.js";
import {field, formError, showError} from "./forms.js";
import {IntegrationCard} from "./integrations.js";
import {connectSection, returnMessage} from "./oauth.js";

const view = document.getElementById("view");
const who = document.getElementById("who");
const notice = document.getElementById("notice");

function announce(text, ok = true) {
  replace(notice, text ? h("p", {class: ok ? "notice notice-ok" : "notice notice-error"}, text) : null);
}

// The OAuth outcome in the address (?provider=…&status=…), shown once and then removed from it.
function takeReturnMessage(providers) {
  const message = returnMessage(window.location.search, providers);
  if (message) {
    history.replaceState(null, "", window.location.pathname);
    announce(message.text, message.ok);
  }
}

function showSignIn(reason) {
  replace(who);
  const form = h("form", {class: "form", novalidate: true},
    field({label: "API key", apiField: "apiKey", type: "password", autocomplete: "off", spellcheck: "false",
           hint: "An API key of your SMB Sales Boost account (it starts with smbk_)."}),
    formError(),
    h("div", {class: "actions"}, h("button", {type: "submit", class: "button primary"}, "Sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = form.querySelector('[data-field="apiKey"]').value.trim();
    if (!key) return showError(form, {field: "apiKey", message: "Enter your API key."});
    try {
      const session = await api.signIn(key);
      announce("");
      await showSignedIn(session);
    } catch (failure) {
      showError(form, failure);
    }
  });
  replace(view, h("section", {class: "panel signin", "aria-labelledby": "signin-title"},
    h("h1", {id: "signin-title"}, "Sign in"),
    h("p", {}, "Manage where your leads and account events are sent."),
    reason ? h("p", {class: "notice notice-error"}, reason) : null,
    form));
  form.querySelector("input").focus();
}

async function signOut() {
  try {
    await api.signOut();
  } catch (failure) {
    announce(failure.message, false);
    return;
  }
  // A session of the main application may live in a cookie this hub cannot remove.
  try {
    await api.session();
    announce("You are still signed in through the SMB Sales Boost app: sign out there.", false);
  } catch (e) {
    announce("You are signed out.");
    showSignIn();
  }
}

function showWho(session) {
  const a = session.account;
  replace(who,
    h("span", {class: "who-name"}, a.name), h("span", {class: "badge"}, a.plan),
    h("button", {type: "button", class: "button small", onclick: signOut}, "Sign out"));
}

async function showSignedIn(session) {
  showWho(session);
  if (!session.integrations.usable) {
    const why = session.integrations.reason === "account_suspended"
      ? "This account is suspended, so its integrations cannot be used or changed. Contact SMB Sales Boost support."
      : `Integrations come with a paid plan; this account is on the "${session.account.plan}" plan. ` +
        "Upgrade in the SMB Sales Boost app to use them.";
    replace(view, h("section", {class: "panel unavailable", "aria-labelledby": "unavailable-title"},
      h("h1", {id: "unavailable-title"}, "Integrations are not available"),
      h("p", {}, why)));
    takeReturnMessage([]);
    return;
  }
  replace(view, h("p", {class: "muted"}, "Loading your integrations…"));
  let providers, integrations;
  try {
    [providers, integrations] = await Promise.all([api.providers(), api.integrations()]);
  } catch (failure) {
    if (failure.status === 401) return showSignIn("Your session has ended; sign in again.");
    replace(view, h("p", {class: "notice notice-error"}, failure.message));
    return;
  }
  providers = providers.providers;
  takeReturnMessage(providers);
  new IntegrationsView({providers, integrations: integrations.integrations, features: session.features}).show();
}

class IntegrationsView {
  constructor({providers, integrations, features}) {
    this.providers = providers;
    this.features = features;
    this.cards = new Map();
    this.list = h("div", {class: "cards"});
    this.empty = h("p", {class: "muted empty"}, "No integrations yet. Create one to start receiving events.");
    this.createSlot = h("div", {});
    this.newButton = h("button", {type: "button", class: "button primary", "aria-expanded": "false",
                                  onclick: () => this.openCreate()}, "New integration");
    for (const integration of integrations) this.addCard(integration);
  }

  show() {
    const canCreate = this.providers.some(creatable);
    replace(view,
      h("section", {class: "integrations", "aria-labelledby": "integrations-title"},
        h("div", {class: "section-head"},
          h("h1", {id: "integrations-title"}, "Integrations"),
          canCreate ? this.newButton : null),
        this.createSlot, this.empty, this.list),
      this.features.oauth ? connectSection(this.providers, (text) => announce(text, false)) : null);
    this.updateEmpty();
    for (const card of this.cards.values()) card.loadChart();
  }

  addCard(integration, first = false) {
    const card = new IntegrationCard({
      integration, providers: this.providers, features: this.features, announce,
      onDeleted: (gone) => {
        this.cards.delete(gone.id);
        this.updateEmpty();
        this.newButton.focus();
      }});
    this.cards.set(integration.id, card);
    if (first) this.list.prepend(card.element);
    else this.list.append(card.element);
    this.updateEmpty();
    return card;
  }

  updateEmpty() {
    this.empty.hidden = this.cards.size > 0;
  }

  openCreate() {
    if (this.createSlot.firstChild) return this.closeCreate();
    const form = createForm({
      providers: this.providers,
      onCreated: (created, {done}) => {
        if (!done) {
          const card = this.addCard(created, true);
          card.loadChart();
          return;
        }
        this.closeCreate();
        const heading = document.getElementById(`name-${created.id}`);
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      },
      onCancel: () => this.closeCreate(true)});
    replace(this.createSlot, form);
    this.newButton.setAttribute("aria-expanded", "true");
    const first = form.querySelector("select, input");
    if (first) first.focus();
  }

  closeCreate(refocus = false) {
    replace(this.createSlot);
    this.newButton.setAttribute("aria-expanded", "false");
    if (refocus) this.newButton.focus();
  }
}

async function start() {
  let session;
  try {
    session = await api.session();
  } catch (failure) {
    if (failure.status === 401) {
      // An OAuth outcome is worth showing even to someone whose session has ended.
      takeReturnMessage([]);
      return showSignIn();
    }
    replace(view, h("p", {class: "notice notice-error"}, failure.message));
    return;
  }
  await showSignedIn(session);
}

start();
