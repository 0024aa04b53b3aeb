// A signing secret, shown once (the hub never returns it again), with a copy button.
import {h} from "./dom.js";

export function secretPanel({title, secret, note, onDone}) {
  const status = h("span", {class: "copy-status", role: "status"});
  const value = h("code", {class: "secret-value", "data-secret": ""}, secret);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = "Copied";
    } catch (e) {
      // No clipboard permission (e.g. plain http on another host): select it for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(value);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = "Selected: press Ctrl+C to copy";
    }
  };
  const done = h("button", {type: "button", class: "button", onclick: onDone}, "Done");
  const panel = h("section", {class: "secret-panel", "aria-label": title, tabindex: "-1"},
    h("h3", {}, title),
    h("p", {}, note),
    h("div", {class: "secret-row"}, value,
      h("button", {type: "button", class: "button primary", onclick: copy}, "Copy"), status),
    h("p", {class: "hint"}, "This is the only time it is shown. Keep it where your receiver can read it."),
    done);
  return panel;
}
