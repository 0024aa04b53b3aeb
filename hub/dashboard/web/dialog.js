// A modal question with the native <dialog>: focus stays inside, Escape cancels, and focus
// returns to what opened it. Resolves true when confirmed.
import {h} from "./dom.js";

export function confirmDialog({title, message, confirmLabel, danger = false}) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `dialog-title-${Date.now()}`;
    const dialog = h("dialog", {class: "dialog", "aria-labelledby": titleId},
      h("h2", {id: titleId}, title),
      h("p", {}, message),
      h("div", {class: "actions"},
        h("button", {type: "button", class: "button", value: "cancel",
                     onclick: () => dialog.close("cancel")}, "Cancel"),
        h("button", {type: "button", class: danger ? "button danger" : "button primary", value: "confirm",
                     onclick: () => dialog.close("confirm")}, confirmLabel)));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
