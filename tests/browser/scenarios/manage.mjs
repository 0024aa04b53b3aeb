// The whole life of integrations, by mouse, in real Chromium against the real hub (SPEC §16):
// sign in with a key; create a Generic Webhook (after a refused URL whose error shows beside
// the URL field) and a Zapier one; read each signing secret once and copy it; send tests and
// see them succeed in the log; see a failing receiver's failed attempt with its HTTP status and
// retry it; pause, see no delivery, resume; edit; delete with confirmation; sign out.
// The C++ test (BrowserTest.ManageIntegrationsByMouse) checks what the receiver got against
// the secrets this page showed.
import {card, check, env, eventually, publish, run, signIn, sleep} from "../lib/harness.mjs";

const apiKey = env("API_KEY");

async function createIntegration(page, {provider, name, url, events = [], settings = {}, shot = null}) {
  await page.getByRole("button", {name: "New integration"}).click();
  const form = page.getByRole("region", {name: "New integration"});
  await form.getByLabel("Provider").selectOption({label: provider});
  await form.getByLabel("Name", {exact: true}).fill(name);
  await form.getByLabel("URL", {exact: true}).fill(url);
  for (const type of events) await form.getByRole("checkbox", {name: type, exact: true}).check();
  for (const [label, value] of Object.entries(settings)) await form.getByLabel(label).fill(value);
  await form.getByRole("button", {name: "Create"}).click();
  const panel = page.getByRole("region", {name: "Signing secret"});
  const secret = (await panel.locator("[data-secret]").textContent()).trim();
  check(/^whsec_/.test(secret) || secret.length >= 16, `a signing secret is shown: ${secret}`);
  await panel.getByRole("button", {name: "Copy"}).click();
  await panel.getByText("Copied").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === secret, "the copy button put the secret on the clipboard");
  if (shot) await shot();
  await panel.getByRole("button", {name: "Done"}).click();
  await card(page, name).waitFor();
  return secret;
}

// Sends a test from the card and waits until the log shows that delivery's attempt with `status`.
async function sendTestAndWait(page, name, status) {
  const c = card(page, name);
  const said = c.locator(".card-message");
  const before = await said.textContent();
  await c.getByRole("button", {name: "Send test"}).click();
  // The card says which delivery the test became, once the hub has accepted it.
  const message = await eventually(async () => {
    const text = await said.textContent();
    return text !== before && /dlv_/.test(text) ? text : null;
  }, `the card "${name}" names the test's delivery`);
  const deliveryId = message.match(/dlv_[a-z0-9]+/)[0];
  await c.locator(`li[data-delivery="${deliveryId}"][data-status="${status}"]`).first().waitFor();
  return deliveryId;
}

run("manage", async ({context, page, hub, result, allowProblem, screenshot}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], {origin: hub});

  // A wrong key is refused beside the field; the right one signs in.
  allowProblem("status of 401");
  await page.goto(`${hub}/dashboard`);
  await page.getByLabel("API key").fill("smbk_not-a-real-key");
  await page.getByRole("button", {name: "Sign in"}).click();
  await page.locator('[data-error-for="apiKey"]').getByText("not valid").waitFor();
  check(await page.getByLabel("API key").getAttribute("aria-invalid") === "true", "the API key field is marked invalid");
  await signIn(page, hub, apiKey);
  const cookie = (await context.cookies()).find((c) => c.name === "smb_session");
  check(cookie && cookie.httpOnly && cookie.sameSite === "Lax", `smb_session is HttpOnly, SameSite=Lax: ${JSON.stringify(cookie)}`);

  // Coming-soon providers are listed, disabled.
  await page.getByRole("button", {name: "New integration"}).click();
  const hubspot = page.getByRole("region", {name: "New integration"}).locator('option[value="hubspot"]');
  check(await hubspot.isDisabled(), "HubSpot (coming soon) is disabled in the Provider list");
  await page.getByRole("button", {name: "Cancel"}).click();

  // An error from the API shows beside the field it names.
  allowProblem("status of 400");
  await page.getByRole("button", {name: "New integration"}).click();
  const form = page.getByRole("region", {name: "New integration"});
  await form.getByLabel("Provider").selectOption({label: "Generic Webhook"});
  const hint = await form.locator(".hint").filter({hasText: "https://"}).first().textContent();
  check(/https:\/\//.test(hint), `the URL field has its provider's hint: ${hint}`);
  await form.getByLabel("Name", {exact: true}).fill("Orders webhook");
  await form.getByLabel("URL", {exact: true}).fill("http://plain-http.example/hook");
  await form.getByRole("button", {name: "Create"}).click();
  await form.locator('[data-error-for="targetUrl"]').filter({hasText: /\S/}).waitFor();
  check(await form.getByLabel("URL", {exact: true}).getAttribute("aria-invalid") === "true", "URL marked invalid");
  await form.getByRole("button", {name: "Cancel"}).click();

  result.webhookSecret = await createIntegration(page, {provider: "Generic Webhook", name: "Orders webhook",
    url: env("WEBHOOK_URL"), events: ["lead.created", "export.completed"],
    shot: () => screenshot("secret-shown-once.png")});
  result.zapierSecret = await createIntegration(page, {provider: "Zapier", name: "Zap", url: env("ZAPIER_URL")});
  result.flakySecret = await createIntegration(page, {provider: "Generic Webhook", name: "Flaky", url: env("FAILING_URL")});

  // Clay has a setting of its own (the auth token); an error about it shows beside it.
  await page.getByRole("button", {name: "New integration"}).click();
  const clayForm = page.getByRole("region", {name: "New integration"});
  await clayForm.getByLabel("Provider").selectOption({label: "Clay"});
  await clayForm.getByLabel("Name", {exact: true}).fill("Clay table");
  await clayForm.getByLabel("URL", {exact: true}).fill(env("CLAY_URL"));
  await clayForm.getByLabel("Auth token (optional)").fill(" leading space");
  await clayForm.getByRole("button", {name: "Create"}).click();
  await clayForm.locator('[data-error-for="settings.authToken"]').filter({hasText: /\S/}).waitFor();
  check(await clayForm.getByLabel("Auth token (optional)").getAttribute("aria-invalid") === "true",
        "the auth token field is marked invalid");
  await clayForm.getByRole("button", {name: "Cancel"}).click();
  result.clayToken = "clay-browser-token";
  result.claySecret = await createIntegration(page, {provider: "Clay", name: "Clay table", url: env("CLAY_URL"),
    settings: {"Auth token (optional)": result.clayToken}});
  check(await page.locator("[data-secret]").count() === 0, "no secret stays on the page after Done");

  result.webhookTestDelivery = await sendTestAndWait(page, "Orders webhook", "succeeded");
  const ok = card(page, "Orders webhook").locator(`li[data-delivery="${result.webhookTestDelivery}"]`).first();
  check((await ok.textContent()).includes("HTTP 200"), "the log shows HTTP 200");
  await ok.locator("summary").click();
  check((await ok.textContent()).includes(result.webhookTestDelivery), "the detail shows the delivery id");
  result.zapierTestDelivery = await sendTestAndWait(page, "Zap", "succeeded");
  result.clayTestDelivery = await sendTestAndWait(page, "Clay table", "succeeded");

  // The failing receiver: every attempt fails, the last with no more retries; then Retry.
  result.flakyDelivery = await sendTestAndWait(page, "Flaky", "failed");
  const flaky = card(page, "Flaky");
  const failedRow = flaky.locator(`li[data-delivery="${result.flakyDelivery}"][data-status="failed"]`).first();
  check((await failedRow.textContent()).includes("HTTP 500"), "the failed attempt shows HTTP 500");
  await failedRow.getByRole("button", {name: "Retry"}).click();
  await flaky.locator(`li[data-delivery="${result.flakyDelivery}"][data-status="succeeded"]`).waitFor();
  await eventually(async () => (await flaky.getByRole("button", {name: "Retry"}).count()) === 0,
                   "no Retry is offered once the delivery succeeded");

  // Pause: no delivery arrives; resume: it does.
  const orders = card(page, "Orders webhook");
  await orders.getByRole("button", {name: "Pause"}).click();
  await orders.getByText("Paused", {exact: true}).waitFor();
  check(await orders.getByRole("button", {name: "Send test"}).count() === 0, "no Send test while paused");
  const before = await orders.locator("li[data-attempt]").count();
  const paused = await publish(hub, apiKey, "export.completed", {exportId: "exp_paused", rowCount: 1, format: "csv"});
  result.pausedEventId = paused.id;
  await sleep(2500);
  check(await orders.locator("li[data-attempt]").count() === before, "nothing was delivered while paused");
  await orders.getByRole("button", {name: "Resume"}).click();
  await orders.getByText("Active", {exact: true}).waitFor();
  const resumed = await publish(hub, apiKey, "export.completed", {exportId: "exp_resumed", rowCount: 2, format: "csv"});
  result.resumedEventId = resumed.id;
  const resumedDelivery = resumed.deliveries.find((d) => d.eventId === resumed.id).deliveryId;
  await orders.locator(`li[data-delivery="${resumedDelivery}"][data-status="succeeded"]`).waitFor();

  // Edit the Zapier integration's name and events.
  const zap = card(page, "Zap");
  await zap.getByRole("button", {name: "Edit"}).click();
  const edit = zap.getByRole("form", {name: "Edit Zap"});
  await edit.getByLabel("Name", {exact: true}).fill("Zap for leads");
  await edit.getByRole("checkbox", {name: "lead.updated", exact: true}).check();
  await edit.getByRole("button", {name: "Save"}).click();
  await card(page, "Zap for leads").getByText("lead.created, lead.updated").waitFor();

  // Delete, with confirmation; a cancelled one keeps it.
  await flaky.getByRole("button", {name: "Delete"}).click();
  await page.getByRole("dialog").getByRole("button", {name: "Cancel"}).click();
  check(await flaky.count() === 1, "cancelling keeps the integration");
  await flaky.getByRole("button", {name: "Delete"}).click();
  await page.getByRole("dialog").getByRole("button", {name: "Delete"}).click();
  await page.getByText('"Flaky" is deleted.').waitFor();
  await page.reload();
  await card(page, "Orders webhook").waitFor();
  check(await card(page, "Flaky").count() === 0, "the deleted integration is gone after a reload");

  // Sign out: the cookie is gone and the page asks for a key again, also after a reload.
  await page.getByRole("button", {name: "Sign out"}).click();
  await page.getByRole("button", {name: "Sign in"}).waitFor();
  check(!(await context.cookies()).some((c) => c.name === "smb_session"), "smb_session is removed");
  await page.reload();
  await page.getByRole("button", {name: "Sign in"}).waitFor();
});
