// An account that may not use integrations (suspended, or not on a paid plan) signs in: the
// page says why (EXPECT_TEXT) and offers nothing the API would refuse.
import {check, env, run, signIn} from "../lib/harness.mjs";

run("unavailable", async ({page, hub, screenshot}) => {
  await page.goto(`${hub}/dashboard`);
  await page.getByLabel("API key").fill(env("API_KEY"));
  await page.getByRole("button", {name: "Sign in"}).click();
  const heading = page.getByRole("heading", {name: "Integrations are not available"});
  await heading.waitFor();
  const text = await page.locator("main").textContent();
  check(text.includes(env("EXPECT_TEXT")), `the page says why ("${env("EXPECT_TEXT")}"): ${text}`);
  for (const label of ["New integration", "Create", "Send test", "Pause", "Delete", "Retry", "Connect"]) {
    check(await page.getByRole("button", {name: label}).count() === 0, `no "${label}" is offered`);
  }
  check(await page.getByRole("button", {name: "Sign out"}).count() === 1, "Sign out is offered");
  await screenshot(`unavailable-${env("EXPECT_TEXT").replace(/\W+/g, "-")}.png`, {fullPage: true});
});
