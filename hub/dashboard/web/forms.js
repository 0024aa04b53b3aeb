// Labelled form fields and the placing of API errors beside the field they name (SPEC §6's
// `field`: "displayName", "targetUrl", "events", "settings.authToken", …).
import {h, uid} from "./dom.js";

// A labelled input with an optional hint and a slot for its error. `apiField` is the name the
// API uses for it in errors.
export function field({label, apiField, type = "text", hint = "", value = "", required = false,
                       autocomplete = "off", inputmode = null, spellcheck = null}) {
  const id = uid("field");
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = h("input", {id, name: apiField, type, value, required, autocomplete, inputmode,
                            spellcheck, "data-field": apiField,
                            "aria-describedby": [hintId, errorId].filter(Boolean).join(" ")});
  return h("div", {class: "field"},
           h("label", {for: id}, label),
           input,
           hint ? h("p", {class: "hint", id: hintId}, hint) : null,
           h("p", {class: "field-error", id: errorId, "data-error-for": apiField}));
}

// One checkbox per event type, in a fieldset labelled "Events"; its error slot is for "events".
export function eventCheckboxes(types, chosen = []) {
  const errorId = uid("events-error");
  return h("fieldset", {class: "field events", "data-field": "events", "aria-describedby": errorId},
           h("legend", {}, "Events"),
           h("div", {class: "checkboxes"},
             types.map((type) => {
               const id = uid("event");
               return h("div", {class: "checkbox"},
                        h("input", {type: "checkbox", id, name: "events", value: type,
                                    checked: chosen.includes(type)}),
                        h("label", {for: id}, type));
             })),
           h("p", {class: "field-error", id: errorId, "data-error-for": "events"}));
}

export function checkedEvents(form) {
  return [...form.querySelectorAll('input[name="events"]:checked')].map((box) => box.value);
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
  for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
}

// Shows `failure` (an ApiFailure) beside the field it names, or in the form's own error slot.
// Focuses the field, so keyboard and screen-reader users land on the problem.
export function showError(form, failure) {
  clearErrors(form);
  const name = failure.field || "";
  // "events[1]" is about the events; "settings.authToken" has its own field.
  const base = name.replace(/\[\d+\]$/, "");
  let slot = base ? form.querySelector(`[data-error-for="${CSS.escape(base)}"]`) : null;
  if (!slot) slot = form.querySelector('[data-error-for="form"]');
  slot.textContent = failure.message;
  const target = base ? form.querySelector(`[data-field="${CSS.escape(base)}"]`) : null;
  if (target && slot.dataset.errorFor === base) {
    target.setAttribute("aria-invalid", "true");
    const focusable = target.matches("fieldset") ? target.querySelector("input") : target;
    if (focusable) focusable.focus();
  }
}

export function formError() {
  return h("p", {class: "field-error form-error", "data-error-for": "form", role: "alert"});
}
