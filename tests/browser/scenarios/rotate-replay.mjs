// Secret rotation and replay (SPEC §15 shapes), shown only when the hub serves them: rotate the
// secret of a webhook (the new one shown once), let a test delivery fail, then replay the
// failed window and see it succeed. DashboardBrowserTest checks the new secret signs it.
import {card, check, env, run, signIn} from "../lib/harness.mjs";

run("rotate-replay", async ({page, hub, result}) => {
  await signIn(page, hub, env("API_KEY"));
  await page.getByRole("button", {name: "New integration"}).click();
  const form = page.getByRole("region", {name: "New integration"});
  await form.getByLabel("Provider").selectOption({label: "Generic Webhook"});
  await form.getByLabel("Name", {exact: true}).fill("Rotating");
  await form.getByLabel("URL", {exact: true}).fill(env("WEBHOOK_URL"));
  await form.getByRole("button", {name: "Create"}).click();
  const first = (await page.locator("[data-secret]").textContent()).trim();
  await page.getByRole("button", {name: "Done"}).click();

  const c = card(page, "Rotating");
  await c.getByRole("button", {name: "Rotate secret"}).click();
  await page.getByRole("dialog").getByRole("button", {name: "Rotate secret"}).click();
  const panel = page.getByRole("region", {name: "New signing secret"});
  result.newSecret = (await panel.locator("[data-secret]").textContent()).trim();
  check(result.newSecret && result.newSecret !== first, "a new secret is shown");
  await panel.getByRole("button", {name: "Done"}).click();

  await c.getByRole("button", {name: "Send test"}).click();
  const failed = c.locator('li[data-status="failed"]').first();
  await failed.waitFor();
  result.replayedDelivery = await failed.getAttribute("data-delivery");
  await c.getByRole("button", {name: "Replay"}).click();
  await c.getByText("1 failed delivery replayed.").waitFor();
  await c.locator(`li[data-delivery="${result.replayedDelivery}"][data-status="succeeded"]`).waitFor();
});
