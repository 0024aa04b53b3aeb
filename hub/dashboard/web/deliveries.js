// The deliveries log of one integration: every attempt (newest first) with its status, HTTP
// code, duration and error, and its request and response in a disclosure; "Retry" on each
// delivery whose retries are exhausted; "Replay" of a window when the hub serves it. While
// open it refreshes itself every two seconds, keeping what the reader has expanded.
import {api} from "./api.js";
import {formatTime, h, replace} from "./dom.js";
import {clearErrors, formError, showError} from "./forms.js";

const REFRESH_MS = 2000;

function statusText(attempt) {
  if (attempt.status === "succeeded") return "Succeeded";
  if (attempt.status === "pending") return "Failed, will retry";
  return "Failed";
}

function detail(label, value) {
  if (value === undefined || value === null || value === "") return null;
  return [h("dt", {}, label), h("dd", {}, String(value))];
}

export class DeliveriesLog {
  // `onAttempts(attempts)` lets the card redraw its chart from what the log fetched.
  constructor({integration, features, onAttempts, onChanged}) {
    this.integration = integration;
    this.features = features;
    this.onAttempts = onAttempts;
    this.onChanged = onChanged;
    this.rows = new Map();       // attempt id -> <li>
    this.retrying = new Set();   // delivery ids retried from here, until a newer attempt shows
    this.list = h("ol", {class: "attempts", "aria-label": "Delivery attempts, newest first"});
    this.empty = h("p", {class: "muted"}, "No deliveries yet. Send a test to see one here.");
    this.message = h("p", {class: "log-message", role: "status"});
    this.element = h("section", {class: "deliveries", "aria-label": `Deliveries of ${integration.displayName}`},
      h("h4", {}, "Deliveries"), this.message,
      features.replay ? this.replayForm() : null,
      this.empty, this.list);
    this.timer = null;
  }

  async open() {
    await this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  close() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async refresh() {
    let attempts;
    try {
      attempts = (await api.deliveries(this.integration.id)).deliveries;
    } catch (failure) {
      this.message.textContent = failure.message;
      if (failure.status === 401 || failure.status === 404) this.close();  // signed out, or deleted elsewhere
      return;
    }
    this.render(attempts);
    if (this.onAttempts) this.onAttempts(attempts);
  }

  render(attempts) {
    this.empty.hidden = attempts.length > 0;
    // The newest attempt of each delivery decides whether it can be retried.
    const newest = new Map();
    for (const a of attempts) if (!newest.has(a.deliveryId)) newest.set(a.deliveryId, a);
    for (const id of [...this.retrying]) {
      const latest = newest.get(id);
      if (latest && latest.status !== "failed") this.retrying.delete(id);
    }
    const keep = new Set();
    let previous = null;
    for (const attempt of attempts) {
      keep.add(attempt.id);
      let row = this.rows.get(attempt.id);
      if (!row) {
        row = this.row(attempt);
        this.rows.set(attempt.id, row);
      }
      this.updateRetry(row, attempt, newest.get(attempt.deliveryId) === attempt);
      if (previous) previous.after(row);
      else if (this.list.firstChild !== row) this.list.prepend(row);
      previous = row;
    }
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
  }

  row(a) {
    const ok = a.status === "succeeded";
    const slot = h("span", {class: "retry-slot"});
    const summary = h("summary", {},
      h("span", {class: ok ? "badge badge-ok" : "badge badge-failed"}, statusText(a)),
      h("span", {class: "code"}, a.responseStatus ? `HTTP ${a.responseStatus}` : "no response"),
      h("span", {}, `${a.durationMs} ms`),
      h("span", {}, a.eventType),
      h("span", {class: "muted"}, `attempt ${a.attempt}`),
      h("time", {datetime: a.createdAt, class: "muted"}, formatTime(a.createdAt)));
    const body = h("div", {class: "attempt-detail"},
      h("h5", {}, "Request"),
      h("dl", {}, detail("Event", a.eventType), detail("Event id", a.eventId), detail("Delivery id", a.deliveryId),
        detail("Attempt", a.attempt), detail("Sent to", this.integration.targetUrl), detail("Sent at", a.createdAt)),
      h("h5", {}, "Response"),
      h("dl", {}, detail("HTTP status", a.responseStatus), detail("Duration", `${a.durationMs} ms`),
        detail("Error", a.error), detail("Next attempt", a.nextAttemptAt ? formatTime(a.nextAttemptAt) : "")),
      a.responseBody ? h("pre", {class: "response-body", "aria-label": "Response body"}, a.responseBody) : null);
    const row = h("li", {class: ok ? "attempt ok" : "attempt failed", "data-attempt": a.id,
                         "data-delivery": a.deliveryId, "data-status": a.status},
      h("details", {}, summary, body),
      a.error ? h("p", {class: "attempt-error"}, a.error) : null,
      slot);
    row.retrySlot = slot;
    return row;
  }

  updateRetry(row, attempt, isNewest) {
    const can = this.features.retry && isNewest && attempt.status === "failed";
    const retrying = this.retrying.has(attempt.deliveryId);
    const state = !can ? "none" : retrying ? "retrying" : "offer";
    if (row.retryState === state) return;
    row.retryState = state;
    if (state === "none") return replace(row.retrySlot);
    if (state === "retrying") return replace(row.retrySlot, h("span", {class: "muted"}, "Retry scheduled…"));
    replace(row.retrySlot, h("button", {type: "button", class: "button small",
      onclick: () => this.retry(attempt)}, "Retry"));
  }

  async retry(attempt) {
    try {
      await api.retry(this.integration.id, attempt.deliveryId);
      this.retrying.add(attempt.deliveryId);
      this.message.textContent = "Retry scheduled.";
      await this.refresh();
    } catch (failure) {
      this.message.textContent = failure.message;
    }
  }

  replayForm() {
    const now = new Date();
    const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    const since = h("input", {type: "datetime-local", id: `replay-since-${this.integration.id}`, "data-field": "since",
                              value: local(new Date(now.getTime() - 24 * 3600 * 1000))});
    // Empty "Until" means up to the moment Replay is pressed.
    const until = h("input", {type: "datetime-local", id: `replay-until-${this.integration.id}`, "data-field": "until"});
    const form = h("form", {class: "replay form-inline", novalidate: true},
      h("div", {class: "field"}, h("label", {for: since.id}, "Failed since"), since,
        h("p", {class: "field-error", "data-error-for": "since"})),
      h("div", {class: "field"}, h("label", {for: until.id}, "Until (empty: now)"), until,
        h("p", {class: "field-error", "data-error-for": "until"})),
      h("button", {type: "submit", class: "button"}, "Replay"),
      formError());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      if (!since.value) return showError(form, {field: "since", message: "Choose when the window starts."});
      const window = {since: new Date(since.value).toISOString()};
      if (until.value) window.until = new Date(until.value).toISOString();
      try {
        const result = await api.replay(this.integration.id, window);
        this.message.textContent = `${result.replayed} failed ${result.replayed === 1 ? "delivery" : "deliveries"} replayed.`;
        if (this.onChanged) this.onChanged();
        await this.refresh();
      } catch (failure) {
        showError(form, failure);
      }
    });
    return form;
  }
}
