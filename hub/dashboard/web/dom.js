// Building the page without innerHTML: every text from the API goes in as text, never markup,
// so nothing a customer or a receiver wrote can run as script (and the page needs no
// 'unsafe-inline' in its Content-Security-Policy).

// h("button", {type: "button", onclick: f, class: "x"}, "Label", child, …)
// Attributes: `class`, `for`, aria-*/data-* and the like are set as attributes; `on…` are
// listeners; `hidden`, `disabled`, `checked`, `value` are properties; null/false are skipped.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "hidden" || name === "disabled" || name === "checked" || name === "value" ||
               name === "required" || name === "open") {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

// Replaces every child of `parent`.
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

const svgNs = "http://www.w3.org/2000/svg";
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

let nextId = 0;
// A unique id for label/field pairs.
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(undefined, {month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
                                         second: "2-digit"});
}
