// Keyboard only (SPEC §16 "usable by keyboard"): sign in, open "New integration", choose the
// provider, fill the form, tick an event, create, dismiss the secret and send a test — with
// Tab, Enter, Space and typing, never the mouse. Tests (DashboardBrowserTest) check the
// delivery against the secret the page showed.
import {card, check, env, eventually, focusedName, run, tabTo} from "../lib/harness.mjs";

run("keyboard", async ({page, hub, result}) => {
  await page.goto(`${hub}/dashboard`);
  await page.getByRole("button", {name: "Sign in"}).waitFor();
  await eventually(async () => (await focusedName(page)) === "API key",
                   "the API key field has the focus when the page opens");
  await page.keyboard.type(env("API_KEY"));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", {name: "Integrations", exact: true}).waitFor();

  await tabTo(page, "New integration");
  await page.keyboard.press("Enter");
  await page.getByRole("region", {name: "New integration"}).waitFor();
  await eventually(async () => (await focusedName(page)) === "Provider", "the form opens with the focus on Provider");
  await page.keyboard.type("Generic");  // a focused select chooses by typing
  const provider = await page.getByLabel("Provider").inputValue();
  check(provider === "webhook", `typing chose Generic Webhook (got ${provider})`);
  await page.keyboard.press("Tab");
  check(await focusedName(page) === "Name", "Tab goes from Provider to Name");
  await page.keyboard.type("Keyboard hook");
  await page.keyboard.press("Tab");
  check(await focusedName(page) === "URL", "then to URL");
  await page.keyboard.type(env("WEBHOOK_URL"));
  await tabTo(page, "lead.updated");
  await page.keyboard.press("Space");
  check(await page.getByRole("checkbox", {name: "lead.updated"}).isChecked(), "Space ticks lead.updated");
  await tabTo(page, "Create");
  await page.keyboard.press("Enter");

  const panel = page.getByRole("region", {name: "Signing secret"});
  await panel.waitFor();
  result.secret = (await panel.locator("[data-secret]").textContent()).trim();
  await tabTo(page, "Done");
  await page.keyboard.press("Space");
  const created = card(page, "Keyboard hook");
  await created.waitFor();
  await eventually(async () => (await focusedName(page)) === "Keyboard hook",
                   "after Done the focus is on the new integration");
  check((await created.textContent()).includes("lead.created, lead.updated"), "both events are subscribed");

  await tabTo(page, "Send test");
  await page.keyboard.press("Enter");
  const row = created.locator('li[data-status="succeeded"]').first();
  await row.waitFor();
  result.testDelivery = await row.getAttribute("data-delivery");
});
