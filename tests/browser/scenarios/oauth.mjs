// The three CRM "Connect" buttons (SPEC §16): Salesforce's Sandbox goes to Salesforce's sandbox
// login host, and when the provider sends the browser back through the hub's callback, the page
// says it is connected; HubSpot's user declines, and the page says so; Pipedrive, not configured
// on this hub, cannot be started. The providers' own pages are played inside the browser:
// Playwright answers their addresses with the redirect a provider would send.
import {check, run, signIn, env} from "../lib/harness.mjs";

function connectCard(page, name) {
  return page.locator(".connect-card", {has: page.getByRole("heading", {name: new RegExp(`^${name}`)})});
}

run("oauth", async ({context, page, hub, result}) => {
  await signIn(page, hub, env("API_KEY"));
  check(await connectCard(page, "Pipedrive").getByRole("button", {name: "Connect"}).isDisabled(),
        "Pipedrive (no client_id on this hub) cannot be connected");

  await context.route("https://test.salesforce.com/**", async (route) => {
    const url = new URL(route.request().url());
    result.salesforceAuthorizeUrl = url.toString();
    const back = `${hub}/api/integrations/salesforce/callback?code=granted&state=${encodeURIComponent(url.searchParams.get("state"))}`;
    await route.fulfill({status: 302, headers: {Location: back}});
  });
  const salesforce = connectCard(page, "Salesforce");
  await salesforce.getByLabel("Salesforce environment").selectOption("sandbox");
  await salesforce.getByRole("button", {name: "Connect"}).click();
  await page.getByText("Salesforce is connected.").waitFor();
  check(!page.url().includes("status="), `the outcome is taken out of the address: ${page.url()}`);

  await context.route("https://app.hubspot.com/**", async (route) => {
    const url = new URL(route.request().url());
    const back = `${hub}/api/integrations/hubspot/callback?error=access_denied&state=${encodeURIComponent(url.searchParams.get("state"))}`;
    await route.fulfill({status: 302, headers: {Location: back}});
  });
  await connectCard(page, "HubSpot").getByRole("button", {name: "Connect"}).click();
  await page.getByText("HubSpot could not be connected: access was declined (access_denied).").waitFor();
});
