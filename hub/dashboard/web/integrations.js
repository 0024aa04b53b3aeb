// One integration as a card: provider, name, status, events, last delivery, the 24-hour chart,
// and what can be done with it — send test, pause or resume, edit, rotate the secret (when the
// hub serves it), delete after confirmation, and its deliveries log. Buttons the API would
// refuse are not shown (e.g. "Send test" on a paused integration).
import {api} from "./api.js";
import {successChart} from "./chart.js";
import {DeliveriesLog} from "./deliveries.js";
import {confirmDialog} from "./dialog.js";
import {formatTime, h, replace} from "./dom.js";
import {checkedEvents, eventCheckboxes, field, formError, showError} from "./forms.js";
import {secretPanel} from "./secret.js";

const STATUS_LABELS = {active: "Active", paused: "Paused", disabled: "Disabled"};

export class IntegrationCard {
  constructor({integration, providers, features, onDeleted, announce}) {
    this.integration = integration;
    this.providers = providers;
    this.features = features;
    this.onDeleted = onDeleted;
    this.announce = announce;
    this.attempts = [];
    this.stats = null;
    this.log = null;
    this.element = h("article", {class: "integration", "data-integration": integration.id,
                                 "aria-labelledby": `name-${integration.id}`});
    this.chartSlot = h("div", {class: "chart-slot"});
    this.formSlot = h("div", {class: "form-slot"});
    this.logSlot = h("div", {class: "log-slot"});
    this.message = h("p", {class: "card-message", role: "status"});
    this.render();
  }

  provider() {
    return this.providers.find((p) => p.id === this.integration.provider);
  }

  // Fetches what the chart needs: the log, and stats when the hub serves last24h (SPEC §15).
  async loadChart() {
    const [detail, log] = await Promise.allSettled([api.integration(this.integration.id),
                                                     api.deliveries(this.integration.id)]);
    if (detail.status === "fulfilled") this.stats = detail.value.stats || null;
    if (log.status === "fulfilled") this.attempts = log.value.deliveries;
    this.drawChart();
  }

  drawChart() {
    replace(this.chartSlot, successChart(this.attempts, this.stats));
  }

  render() {
    const i = this.integration;
    const provider = this.provider();
    const active = i.status === "active";
    const actions = h("div", {class: "actions"},
      active && this.features.sendTest ? h("button", {type: "button", class: "button", onclick: () => this.sendTest()},
                                           "Send test") : null,
      this.features.edit ? h("button", {type: "button", class: "button", onclick: () => this.toggleStatus()},
                             active ? "Pause" : "Resume") : null,
      this.features.edit ? h("button", {type: "button", class: "button", onclick: () => this.edit()}, "Edit") : null,
      this.features.rotateSecret ? h("button", {type: "button", class: "button", onclick: () => this.rotate()},
                                     "Rotate secret") : null,
      this.features.delete ? h("button", {type: "button", class: "button danger", onclick: () => this.remove()},
                               "Delete") : null,
      this.features.deliveries ? h("button", {type: "button", class: "button", "aria-expanded": String(!!this.log),
                                              onclick: () => this.toggleLog()}, "Deliveries") : null);
    replace(this.element,
      h("header", {class: "card-head"},
        h("h3", {id: `name-${i.id}`}, i.displayName),
        h("span", {class: `badge status-${i.status}`}, STATUS_LABELS[i.status] || i.status)),
      h("dl", {class: "facts"},
        h("dt", {}, "Provider"), h("dd", {}, provider ? provider.name : i.provider),
        h("dt", {}, "URL"), h("dd", {class: "url"}, i.targetUrl),
        h("dt", {}, "Events"), h("dd", {}, i.events.join(", ")),
        h("dt", {}, "Last delivery"),
        h("dd", {}, i.lastDeliveryAt ? h("time", {datetime: i.lastDeliveryAt}, formatTime(i.lastDeliveryAt)) : "None yet")),
      i.statusReason ? h("p", {class: "warning"}, i.statusReason) : null,
      i.warning ? h("p", {class: "warning"}, i.warning) : null,
      this.chartSlot, actions, this.message, this.formSlot, this.logSlot);
    this.drawChart();
  }

  say(text) {
    this.message.textContent = text;
  }

  async sendTest() {
    try {
      const sent = await api.sendTest(this.integration.id);
      this.say(`Test event sent (delivery ${sent.deliveryId}).`);
      if (!this.log) await this.toggleLog();
      else await this.log.refresh();
    } catch (failure) {
      this.say(failure.message);
    }
  }

  async toggleStatus() {
    const next = this.integration.status === "active" ? "paused" : "active";
    try {
      this.integration = await api.update(this.integration.id, {status: next});
      this.rerender();
      this.say(next === "paused" ? "Paused: it receives nothing until you resume it." : "Resumed.");
      this.focusAction(next === "paused" ? "Resume" : "Pause");
    } catch (failure) {
      this.say(failure.message);
    }
  }

  rerender() {
    const log = this.log;
    this.render();
    if (log) replace(this.logSlot, log.element);
  }

  focusAction(label) {
    const button = [...this.element.querySelectorAll(".actions button")].find((b) => b.textContent === label);
    if (button) button.focus();
  }

  edit() {
    const i = this.integration;
    const provider = this.provider();
    const types = provider ? provider.events : i.events;
    const form = h("form", {class: "form edit", novalidate: true, "aria-label": `Edit ${i.displayName}`},
      field({label: "Name", apiField: "displayName", value: i.displayName}),
      eventCheckboxes(types, i.events),
      formError(),
      h("div", {class: "actions"},
        h("button", {type: "submit", class: "button primary"}, "Save"),
        h("button", {type: "button", class: "button", onclick: () => {
          replace(this.formSlot);
          this.focusAction("Edit");
        }}, "Cancel")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const changes = {displayName: form.querySelector('[data-field="displayName"]').value.trim(),
                       events: checkedEvents(form)};
      try {
        this.integration = await api.update(i.id, changes);
        this.rerender();
        this.say("Saved.");
        this.focusAction("Edit");
      } catch (failure) {
        showError(form, failure);
      }
    });
    replace(this.formSlot, form);
    form.querySelector("input").focus();
  }

  async rotate() {
    const sure = await confirmDialog({
      title: "Rotate the signing secret?",
      message: "A new secret is made now. Deliveries carry signatures with both secrets for 24 hours, " +
               "so you have a day to give the new one to your receiver.",
      confirmLabel: "Rotate secret"});
    if (!sure) return;
    try {
      const rotated = await api.rotateSecret(this.integration.id, 86400);
      const until = rotated.previousSecretExpiresAt ? formatTime(rotated.previousSecretExpiresAt) : "";
      const panel = secretPanel({title: "New signing secret", secret: rotated.signingSecret,
        note: until ? `The previous secret keeps working until ${until}.` : "The previous secret no longer works.",
        onDone: () => {
          replace(this.formSlot);
          this.focusAction("Rotate secret");
        }});
      replace(this.formSlot, panel);
      panel.focus();
    } catch (failure) {
      this.say(failure.message);
    }
  }

  async remove() {
    const name = this.integration.displayName;
    const sure = await confirmDialog({
      title: `Delete "${name}"?`,
      message: "It stops receiving events at once and its pending deliveries are cancelled. This cannot be undone.",
      confirmLabel: "Delete", danger: true});
    if (!sure) return;
    try {
      await api.remove(this.integration.id);
      this.closeLog();
      this.element.remove();
      this.onDeleted(this.integration);
      this.announce(`"${name}" is deleted.`);
    } catch (failure) {
      this.say(failure.message);
    }
  }

  async toggleLog() {
    if (this.log) {
      this.closeLog();
      this.rerender();
      return;
    }
    this.log = new DeliveriesLog({
      integration: this.integration, features: this.features,
      onAttempts: (attempts) => {
        this.attempts = attempts;
        this.drawChart();
      }});
    replace(this.logSlot, this.log.element);
    const toggle = [...this.element.querySelectorAll(".actions button")].find((b) => b.textContent === "Deliveries");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    await this.log.open();
  }

  closeLog() {
    if (!this.log) return;
    this.log.close();
    this.log = null;
    replace(this.logSlot);
  }
}
