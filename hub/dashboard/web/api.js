// The hub's REST API as the page uses it. Every request is same-origin, sends its body as
// application/json and relies on the smb_session cookie (HttpOnly: this script never sees it),
// which is exactly what the browser rule of SPEC §13 allows. Errors come back as ApiFailure
// carrying the SPEC §6 error (code, message, field) so the page can show them beside the field
// they name.

export class ApiFailure extends Error {
  constructor(status, error) {
    super(error.message || `request failed (${status})`);
    this.status = status;
    this.code = error.code || "unknown";
    this.field = error.field || "";
  }
}

export async function call(method, path, body) {
  const init = {method, credentials: "same-origin", headers: {Accept: "application/json"}};
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiFailure(0, {code: "network", message: "The hub cannot be reached. Check your connection and try again."});
  }
  if (response.status === 204) return null;
  let parsed = null;
  try {
    parsed = await response.json();
  } catch (e) {
    parsed = null;
  }
  if (!response.ok) {
    throw new ApiFailure(response.status, (parsed && parsed.error) || {message: `the hub answered ${response.status}`});
  }
  return parsed;
}

export const api = {
  session: () => call("GET", "/api/session"),
  signIn: (apiKey) => call("POST", "/api/session", {apiKey}),
  signOut: () => call("DELETE", "/api/session"),
  providers: () => call("GET", "/api/integrations/providers"),
  integrations: () => call("GET", "/api/integrations"),
  integration: (id) => call("GET", `/api/integrations/${encodeURIComponent(id)}`),
  create: (body) => call("POST", "/api/integrations/webhook", body),
  update: (id, changes) => call("PATCH", `/api/integrations/${encodeURIComponent(id)}`, changes),
  remove: (id) => call("DELETE", `/api/integrations/${encodeURIComponent(id)}`),
  sendTest: (id) => call("POST", `/api/integrations/${encodeURIComponent(id)}/test`),
  deliveries: (id) => call("GET", `/api/integrations/${encodeURIComponent(id)}/deliveries`),
  retry: (id, deliveryId) =>
    call("POST", `/api/integrations/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`),
  rotateSecret: (id, overlapSeconds) =>
    call("POST", `/api/integrations/${encodeURIComponent(id)}/rotate-secret`, {overlapSeconds}),
  replay: (id, window) => call("POST", `/api/integrations/${encodeURIComponent(id)}/replay`, window),
  oauthStart: (provider, query = "") =>
    call("GET", `/api/integrations/${encodeURIComponent(provider)}/start${query}`),
};
